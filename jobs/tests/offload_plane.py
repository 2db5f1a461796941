"""The real engines the offload tests run on: ClickHouse's engine in process (chdb) and a real Iceberg catalog.

``ChdbSource`` implements the writer's ``ArrowSource`` as the production ``HttpClickHouse`` does, minus HTTP: the SQL
the writer sends runs on ClickHouse's own engine and comes back in ClickHouse's Arrow output format.

``iceberg_catalog()`` is the one place the tests get their catalog. Until the local plane (moto S3/STS + Polaris,
issue #13) is available it is pyiceberg's ``SqlCatalog`` on sqlite with a warehouse on the local filesystem: real
pyiceberg commits and real table metadata, without the REST hop. Setting ``DATAPLANE_TEST_ICEBERG_REST_URI`` (with
``DATAPLANE_TEST_ICEBERG_WAREHOUSE``, ``..._CREDENTIAL`` as ``id:secret`` and ``..._REALM``) switches every test to
that REST catalog through the production ``rest_catalog``.
"""

import os
import shutil
import tempfile
import uuid
from datetime import UTC, datetime
from typing import Any, Optional

from pyiceberg.catalog import Catalog

from dataplane_job.offload.iceberg import rest_catalog


class ChdbSource:
    """An ``ArrowSource`` over an in-process ClickHouse session (one per process: starting the engine takes seconds)."""

    _shared: Optional["ChdbSource"] = None

    @classmethod
    def shared(cls) -> "ChdbSource":
        if cls._shared is None:
            cls._shared = ChdbSource()
        return cls._shared

    def __init__(self) -> None:
        from chdb import session as chdb_session  # a large library: loaded only where a test needs ClickHouse

        self.path = tempfile.mkdtemp(prefix="chdb-")
        self.session = chdb_session.Session(self.path)
        self.queries: list[str] = []

    def query_arrow(self, sql: str) -> Any:
        self.queries.append(sql)
        return self.session.query(sql, "ArrowTable")

    def execute(self, sql: str) -> None:
        self.session.query(sql)

    def close(self) -> None:
        self.session.close()
        shutil.rmtree(self.path, ignore_errors=True)


class IcebergPlane:
    """A catalog (and its warehouse) the tests own; ``close`` removes it."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="iceberg-")
        rest = os.environ.get("DATAPLANE_TEST_ICEBERG_REST_URI")
        if rest:
            client_id, client_secret = os.environ["DATAPLANE_TEST_ICEBERG_CREDENTIAL"].split(":", 1)
            self.catalog: Catalog = rest_catalog(
                {
                    "name": "polaris",
                    "uri": rest,
                    "warehouse": os.environ["DATAPLANE_TEST_ICEBERG_WAREHOUSE"],
                    "scope": "PRINCIPAL_ROLE:ALL",
                    "realm": os.environ.get("DATAPLANE_TEST_ICEBERG_REALM", "POLARIS"),
                },
                client_id,
                client_secret,
            )
            # Each test writes its own namespace, so runs against a shared plane never see each other's tables.
            self.namespace = f"t_{uuid.uuid4().hex[:12]}"
        else:
            from pyiceberg.catalog.sql import SqlCatalog

            self.catalog = SqlCatalog(
                "polaris", uri=f"sqlite:///{self.dir}/catalog.db", warehouse=f"file://{self.dir}/warehouse"
            )
            self.namespace = "trading"

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def at(text: str) -> datetime:
    """``2026-11-21 10:05`` (or with seconds / microseconds) as an aware UTC instant."""
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(text)


def step(source: str, target: str, **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": "offload",
        "source": source,
        "target": target,
        "eventTimeColumn": "event_ts",
        "lagHours": 1,
        "allowedLatenessHours": 2,
        "outageToleranceHours": 6,
        "maxCatchUpHours": 6,
        "ttlHours": 72,
        "dedup": "none",
    }
    spec.update(overrides)
    return spec


def offload_plan(*steps: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "dataplane.io/v1",
        "job": {"name": name or "offload-trading-test", "tenant": "trading"},
        "catalog": {
            "name": "polaris",
            "credentialEnv": {"clientId": "POLARIS_CLIENT_ID", "clientSecret": "POLARIS_CLIENT_SECRET"},
            "rest": {"uri": "http://polaris:8181/api/catalog", "warehouse": "lake", "scope": "PRINCIPAL_ROLE:ALL", "realm": "POLARIS"},
        },
        "clickhouse": {
            "catalog": "clickhouse", "host": "clickhouse", "port": 8123, "protocol": "http", "database": "trading",
            "credentialEnv": {"user": "CLICKHOUSE_USER", "password": "CLICKHOUSE_PASSWORD"},
        },
        "steps": list(steps),
    }
