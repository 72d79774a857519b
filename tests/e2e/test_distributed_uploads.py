"""End to end: a narration from an uploaded book on the API and two SAQ workers
(PostgreSQL, Redis), spoken offline by espeak-ng. SIGKILL the worker mid-chapter: another
attempt speaks only the parts still missing, and the audiobook has the chapter."""

from __future__ import annotations

import gzip
import re
import signal
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from mutagen.mp4 import MP4

from tests.e2e.cluster import Api, wait_for

if TYPE_CHECKING:
    from tests.e2e.cluster import Cluster, Process

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CAROL = Path(__file__).resolve().parents[1] / "fixtures" / "books" / "pg46-a-christmas-carol.txt.gz"
KILL_AFTER_PARTS = 3


def test_a_narration_survives_kill_9_of_its_worker_and_resumes_at_the_part(
    cluster: Cluster, tmp_path: Path
) -> None:
    api = Api(cluster.base_url, f"e2e-{uuid.uuid4().hex[:8]}@example.com")
    try:
        book = gzip.decompress(CAROL.read_bytes())
        sent = api.http.post("/api/v1/uploads", files={"file": ("carol.txt", book)})
        assert sent.status_code == 201, sent.text
        upload_id = sent.json()["upload_id"]
        queued = api.http.post(
            f"/api/v1/uploads/{upload_id}/process",
            json={"mode": "full", "provider": "espeak", "chapters": [2]},
        )
        assert queued.status_code == 202, queued.text
        job_id = queued.json()["job_id"]

        def mid_chapter() -> tuple[Process, int] | None:
            job = api.job(job_id)
            assert job["status"] in {"pending", "processing"}, f"missed the middle: {job}"
            spoken = re.match(r"chapter 2: part (\d+)/(\d+)", job["current_step"] or "")
            owner = cluster.worker_running(job_id)
            if owner is None or spoken is None or int(spoken.group(1)) < KILL_AFTER_PARTS:
                return None
            return owner, int(spoken.group(2))

        owner, parts = wait_for(mid_chapter, 60, "some parts of Stave I spoken", 0.05)
        cluster.kill(owner, signal.SIGKILL)

        job = api.wait_status(job_id, "completed", timeout_s=180)
        assert job["attempts"] >= 2
        assert KILL_AFTER_PARTS <= job["result"]["parts_reused"] < parts  # resumed at the part
        m4b = api.http.get(job["result"]["audiobook"]["m4b"], timeout=30)
        assert m4b.status_code == 200, m4b.text
        path = tmp_path / "carol.m4b"
        path.write_bytes(m4b.content)
        [mark] = MP4(str(path)).chapters
        assert mark.title == "Stave I: Marley's Ghost"
        assert MP4(str(path)).info.length > 20 * 60  # about half an hour of speech
    finally:
        api.close()
        cluster.start_worker()  # a replacement, so two workers run the next test
