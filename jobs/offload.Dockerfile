# The tier-1 offload writer (ADR-006): Python with pyiceberg (+ its Rust transforms), pyarrow and clickhouse-connect, and
# the job runner; no JVM, no Spark. The CronJobs of constructs/offload run `python3 -m dataplane_job.offload <plan>`.
# The defaults below must equal config/versions.ts (test/offload/dockerfile.test.ts); `npm run images` prints the build
# command.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
FROM ${PYTHON_IMAGE}

ARG PYICEBERG_VERSION=0.12.0
ARG PYICEBERG_CORE_VERSION=0.10.1
ARG PYARROW_VERSION=26.0.1
ARG CLICKHOUSE_CONNECT_VERSION=1.12.0

RUN set -eu; \
    pip install --no-cache-dir --disable-pip-version-check \
      "pyiceberg==${PYICEBERG_VERSION}" "pyiceberg-core==${PYICEBERG_CORE_VERSION}" \
      "pyarrow==${PYARROW_VERSION}" "clickhouse-connect==${CLICKHOUSE_CONNECT_VERSION}"; \
    # The same numeric user as the Spark images, so the pod's runAsUser fits both.
    useradd --uid 185 --gid 0 --no-create-home --shell /usr/sbin/nologin offload

COPY dataplane_job /opt/dataplane/dataplane_job
ENV PYTHONPATH=/opt/dataplane PYTHONDONTWRITEBYTECODE=1
WORKDIR /opt/dataplane
# The CronJob runs with a read-only root filesystem and a writable /tmp.
USER 185
ENTRYPOINT []
