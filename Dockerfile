# syntax=docker/dockerfile:1
# Ouderbrug's container image. See README.md, "Deploying".
#
#   docker build -t ouderbrug .                              # without machine translation
#   docker build -t ouderbrug --build-arg EXTRAS=translate . # with machine translation
#
# It serves Telegram's webhook on port 8080 (put a TLS reverse proxy in front) and
# answers GET /healthz. Settings come from the environment, as in .env.example.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: install the package and its dependencies into a virtual environment --------
FROM ${PYTHON_IMAGE} AS build
ARG EXTRAS=""
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/ouderbrug
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN /opt/ouderbrug/bin/pip install ".${EXTRAS:+[$EXTRAS]}"

# --- runtime: the virtual environment, the flows and catalogs, a user without rights ----
FROM ${PYTHON_IMAGE} AS runtime
# pg_dump and pg_restore for `ouderbrug db backup|restore` on PostgreSQL (Debian 12: 15,
# the server version compose.yaml runs); espeak-ng and opusenc read questions aloud
# (about 14 MB, nearly all of it espeak-ng's voices).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client espeak-ng opus-tools \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 ouderbrug \
    && useradd --system --uid 10001 --gid ouderbrug --home-dir /app \
        --shell /usr/sbin/nologin ouderbrug \
    && mkdir -p /data /translation-packages \
    && chown ouderbrug:ouderbrug /data /translation-packages
COPY --from=build /opt/ouderbrug /opt/ouderbrug
COPY flows /app/flows
COPY locales /app/locales
ENV PATH=/opt/ouderbrug/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FLOWS_DIR=/app/flows \
    LOCALES_DIR=/app/locales \
    DATA_DIR=/data \
    TRANSLATION_PACKAGES_DIR=/translation-packages \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8080
WORKDIR /app
USER ouderbrug:ouderbrug
# The SQLite database (when DATABASE_URL is empty) and the installed translation packages.
VOLUME ["/data", "/translation-packages"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('WEBHOOK_PORT', '8080') + '/healthz', timeout=4)"]
ENTRYPOINT ["ouderbrug"]
CMD ["run", "--webhook"]
