"""Reading ClickHouse into Arrow: the SQL the writer sends, and the HTTP client that sends it in production.

The writer only needs :class:`ArrowSource` (SQL text in, ``pyarrow.Table`` out). Production passes
:class:`HttpClickHouse` (clickhouse-connect, ``FORMAT Arrow`` over HTTP); the tests pass chdb, ClickHouse's own engine in
process, so the SQL below runs on the real engine and the real Arrow output format; only the HTTP transport is left
to production. Every literal is rendered here (identifiers are validated, instants formatted), so both run the very
same text and no client-side parameter binding differs between them.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from ..errors import StepError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Engines whose background merges collapse, replace or aggregate rows: a plain SELECT sees unmerged duplicates.
MERGING_ENGINE = re.compile(r"(Replacing|Aggregating|Collapsing|VersionedCollapsing|Summing|Graphite|Coalescing)MergeTree")

#: Query settings every read carries: strings as Arrow strings (not binary), and UTC for every conversion.
READ_SETTINGS = "SETTINGS output_format_arrow_string_as_string = 1, session_timezone = 'UTC'"


class ArrowSource(Protocol):
    """What the writer needs from ClickHouse: run one query, get the result as one Arrow table."""

    def query_arrow(self, sql: str) -> Any: ...


@dataclass(frozen=True)
class SourceTable:
    database: str
    table: str

    @staticmethod
    def parse(qualified: str) -> "SourceTable":
        """``<catalog>.<database>.<table>`` as the plan names it (the catalog part is the plan's ClickHouse)."""
        parts = qualified.split(".")
        if len(parts) != 3 or not all(_IDENTIFIER.match(p) for p in parts):
            raise StepError(f"source {qualified!r} is not <catalog>.<database>.<table> of identifiers")
        return SourceTable(parts[1], parts[2])

    @property
    def sql(self) -> str:
        return f"`{self.database}`.`{self.table}`"


def utc_literal(moment: datetime) -> str:
    """An instant as a ClickHouse DateTime64 in UTC: compared as an instant whatever the column's or server's zone."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return f"toDateTime64('{text}', 0, 'UTC')"


def column_sql(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise StepError(f"column {name!r} is not an identifier")
    return f"`{name}`"


def engine_sql(source: SourceTable) -> str:
    return (
        "SELECT engine FROM system.tables "
        f"WHERE database = '{source.database}' AND name = '{source.table}' {READ_SETTINGS}"
    )


def columns_sql(source: SourceTable) -> str:
    return (
        "SELECT name, type FROM system.columns "
        f"WHERE database = '{source.database}' AND table = '{source.table}' ORDER BY position {READ_SETTINGS}"
    )


def select_list(columns: list[tuple[str, str]]) -> str:
    """Every column, converted where ClickHouse's Arrow output does not map onto an Iceberg type.

    ``DateTime`` leaves ClickHouse's Arrow writer as ``uint32`` seconds and ``DateTime64`` carries the column's zone:
    both become ``DateTime64(6, 'UTC')``, i.e. Arrow ``timestamp[us, UTC]`` = Iceberg ``timestamptz``. Iceberg has no
    unsigned integers: UInt32 widens to Int64 and UInt64 to Decimal(20, 0), so no value wraps.
    """
    parts = []
    for name, ch_type in columns:
        column = column_sql(name)
        base = re.sub(r"^(Nullable|LowCardinality)\((.*)\)$", r"\2", ch_type)
        if base.startswith("DateTime"):
            parts.append(f"toDateTime64({column}, 6, 'UTC') AS {column}")
        elif base == "UInt32":
            parts.append(f"toInt64({column}) AS {column}")
        elif base == "UInt64":
            parts.append(f"toDecimal128({column}, 0) AS {column}")
        else:
            parts.append(column)
    return ", ".join(parts)


def from_clause(source: SourceTable, dedup: str) -> str:
    return f"{source.sql} FINAL" if dedup == "final" else source.sql


def hour_rows_sql(source: SourceTable, columns: list[tuple[str, str]], column: str, start: datetime, end: datetime, dedup: str) -> str:
    """The rows of ``[start, end)``, UTC bounds, read the way the table is declared (FINAL for merging engines)."""
    col = column_sql(column)
    return (
        f"SELECT {select_list(columns)} FROM {from_clause(source, dedup)} "
        f"WHERE {col} >= {utc_literal(start)} AND {col} < {utc_literal(end)} {READ_SETTINGS}"
    )


def hourly_counts_sql(source: SourceTable, column: str, start: datetime, end: datetime, dedup: str) -> str:
    """Rows per UTC hour of ``[start, end)``, counted as the offload reads them (the audit counts the same way)."""
    col = column_sql(column)
    return (
        f"SELECT toDateTime64(toStartOfHour(toTimeZone({col}, 'UTC')), 0, 'UTC') AS hour, count() AS n FROM {from_clause(source, dedup)} "
        f"WHERE {col} >= {utc_literal(start)} AND {col} < {utc_literal(end)} GROUP BY hour {READ_SETTINGS}"
    )


def oldest_row_sql(source: SourceTable, column: str) -> str:
    col = column_sql(column)
    return f"SELECT toDateTime64(min({col}), 6, 'UTC') AS oldest, count() AS n FROM {source.sql} {READ_SETTINGS}"


class ClickHouseReader:
    """The queries of one source table, over any :class:`ArrowSource`."""

    def __init__(self, client: ArrowSource, source: SourceTable):
        self.client = client
        self.source = source
        self._columns: list[tuple[str, str]] | None = None

    def engine(self) -> str | None:
        rows = self.client.query_arrow(engine_sql(self.source)).to_pylist()
        return str(rows[0]["engine"]) if rows else None

    def columns(self) -> list[tuple[str, str]]:
        if self._columns is None:
            rows = self.client.query_arrow(columns_sql(self.source)).to_pylist()
            self._columns = [(str(r["name"]), str(r["type"])) for r in rows]
        return self._columns

    def rows(self, column: str, start: datetime, end: datetime, dedup: str) -> Any:
        return self.client.query_arrow(hour_rows_sql(self.source, self.columns(), column, start, end, dedup))

    def hourly_counts(self, column: str, start: datetime, end: datetime, dedup: str) -> dict[datetime, int]:
        rows = self.client.query_arrow(hourly_counts_sql(self.source, column, start, end, dedup)).to_pylist()
        return {_utc(r["hour"]): int(r["n"]) for r in rows}

    def oldest_row(self, column: str) -> datetime | None:
        row = self.client.query_arrow(oldest_row_sql(self.source, column)).to_pylist()[0]
        return _utc(row["oldest"]) if int(row["n"]) > 0 else None


def _utc(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise StepError(f"ClickHouse returned {value!r} where an instant was expected")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class HttpClickHouse:
    """Production: clickhouse-connect over HTTP(S); ``query_arrow`` asks the server for ``FORMAT Arrow``."""

    def __init__(self, settings: Mapping[str, Any], user: str, password: str):
        import clickhouse_connect  # imported here: the tests run the same SQL on chdb

        self._client = clickhouse_connect.get_client(
            host=settings["host"],
            port=int(settings["port"]),
            secure=settings["protocol"] == "https",
            username=user,
            password=password,
            database=settings["database"],
        )

    def query_arrow(self, sql: str) -> Any:
        return self._client.query_arrow(sql, use_strings=True)
