"""docker-compose.yml, as Docker Compose itself reads it (`config` needs no Docker engine).

CI installs Debian's docker-compose; a laptop with Docker's compose plugin uses that one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.require import unavailable

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SHELL_SETTINGS = ("JWT_SECRET_KEY", "LLM_PROVIDER", "METADATA_PROVIDER", "TTS_PROVIDER")
SHELL_SETTINGS += ("S3_PUBLIC_ENDPOINT_URL",)
APP_SERVICES = ("migrate", "api", "worker")


def compose_command() -> list[str]:
    """``docker compose`` (the plugin) or ``docker-compose``, whichever is installed."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    if standalone:
        return [standalone]
    unavailable("neither `docker compose` nor `docker-compose` is installed")


@pytest.fixture(scope="module")
def compose() -> list[str]:
    return compose_command()


def config(compose: list[str], tmp_path: Path, **shell: str) -> dict[str, Any]:
    """The resolved file, with ``shell`` as the only settings in the caller's environment."""
    env = {k: v for k, v in os.environ.items() if k not in SHELL_SETTINGS}
    empty_env_file = tmp_path / "empty.env"  # keep a developer's .env out of the check
    empty_env_file.write_text("")
    done = subprocess.run(
        [*compose, "--env-file", str(empty_env_file), "-f", str(COMPOSE_FILE), "config"],
        env={**env, **shell},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    resolved: dict[str, Any] = yaml.safe_load(done.stdout)
    return resolved


def environment(resolved: dict[str, Any], service: str) -> dict[str, str]:
    return {k: str(v or "") for k, v in resolved["services"][service]["environment"].items()}


def test_the_file_resolves_without_a_jwt_secret_so_down_and_logs_work(
    compose: list[str], tmp_path: Path
) -> None:
    resolved = config(compose, tmp_path)

    for service in APP_SERVICES:
        env = environment(resolved, service)
        assert env["JWT_SECRET_KEY"] == ""  # the API refuses to start; compose itself works
        assert env["LLM_PROVIDER"] == "openai"
        assert env["METADATA_PROVIDER"] == "chain"
        assert env["TTS_PROVIDER"] == "gtts"
        assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["S3_PUBLIC_ENDPOINT_URL"] == "http://localhost:9000"


def test_the_offline_try_out_is_set_from_the_shell(compose: list[str], tmp_path: Path) -> None:
    secret = "k" * 64
    resolved = config(
        compose,
        tmp_path,
        LLM_PROVIDER="memory",
        METADATA_PROVIDER="memory",
        TTS_PROVIDER="espeak",
        JWT_SECRET_KEY=secret,
    )

    for service in APP_SERVICES:
        env = environment(resolved, service)
        assert (env["LLM_PROVIDER"], env["METADATA_PROVIDER"]) == ("memory", "memory")
        assert (env["TTS_PROVIDER"], env["JWT_SECRET_KEY"]) == ("espeak", secret)


def test_minio_publishes_the_s3_port_for_pre_signed_urls(
    compose: list[str], tmp_path: Path
) -> None:
    ports = config(compose, tmp_path)["services"]["minio"]["ports"]

    published = {
        str(p["published"]) if isinstance(p, dict) else str(p).split(":")[0] for p in ports
    }
    assert {"9000", "9001"} <= published


def test_pulled_images_are_pinned_and_the_worker_has_a_healthcheck() -> None:
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    services = raw["services"]

    assert re.fullmatch(r"minio/minio:RELEASE\.[0-9TZ-]+", services["minio"]["image"])
    assert re.fullmatch(r"minio/mc:RELEASE\.[0-9TZ-]+", services["createbuckets"]["image"])
    for name, service in services.items():
        image = service.get("image") or raw["x-bookbytes"]["image"]
        assert not image.endswith(":latest") or "build" in service, name
    check = services["worker"]["healthcheck"]
    assert not check.get("disable")
    assert check["test"][:3] == ["CMD", "python", "-c"]
