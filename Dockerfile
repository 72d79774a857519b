# syntax=docker/dockerfile:1
# BookBytes: one image for the API (`bookbytes serve`), the worker (`bookbytes worker`) and
# migrations (`bookbytes db upgrade`). Build: docker build -t bookbytes .

FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Runtime dependencies first (pinned by constraints.txt), so a source edit reuses this layer.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt
COPY domain ./domain
COPY application ./application
COPY adapters ./adapters
COPY entrypoints ./entrypoints
RUN pip install -c constraints.txt --no-deps .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/var/lib/bookbytes \
    PORT=8000
RUN groupadd --system bookbytes \
    && useradd --system --gid bookbytes --home-dir /app --shell /usr/sbin/nologin bookbytes \
    && mkdir -p /app /var/lib/bookbytes \
    && chown bookbytes:bookbytes /var/lib/bookbytes
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# The source and alembic.ini, read-only for the service user (the code runs from /opt/venv).
COPY --from=builder /src/domain ./domain
COPY --from=builder /src/application ./application
COPY --from=builder /src/adapters ./adapters
COPY --from=builder /src/entrypoints ./entrypoints
COPY pyproject.toml alembic.ini ./
USER bookbytes
EXPOSE 8000
VOLUME ["/var/lib/bookbytes"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/health/live' % os.environ.get('PORT', '8000'), timeout=4)"
CMD ["bookbytes", "serve", "--host", "0.0.0.0"]
