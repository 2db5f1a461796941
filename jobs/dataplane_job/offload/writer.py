"""One run of the offload: every table of the plan, each in one snapshot, each independent of the others."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pyiceberg.catalog import Catalog

from ..errors import DataSafetyRefusal, StepError
from ..watermark import RUN_PROPERTY, SOURCE_PROPERTY, WATERMARK_PROPERTY, WINDOW_END_PROPERTY, WINDOW_START_PROPERTY
from .clickhouse import MERGING_ENGINE, ArrowSource, ClickHouseReader, SourceTable
from .hours import HOUR, OffloadTable, Window, floor_hour, iso, plan_window
from .iceberg import TargetTable, hourly_counts, load_or_create, read_watermark, replace_hours, total_rows

#: Slices an hour is read in (see ``_commit``); slice bounds stay whole minutes.
READ_SLICES_PER_HOUR = 4

#: The recovery the stale-watermark refusal names; ``{start}``/``{end}`` are the hours to backfill.
RESUME_COMMAND = "npm run backfill -- --env <env> --table {table} --from {{start}} --to {{end}}"


@dataclass
class TableResult:
    target: str
    hours: list[str] = field(default_factory=list)
    rows: int = 0
    watermark: str = ""
    behind_hours: int = 0
    created: bool = False
    error: str | None = None
    refused: bool = False


def _retained_guard(reader: ClickHouseReader, target: Any, table: OffloadTable, window: Window, now: datetime) -> None:
    """Refuses hours ClickHouse no longer fully holds: past the declared TTL, or at or before its oldest retained row
    where Iceberg holds more rows than ClickHouse (replacing them would delete rows that exist nowhere else)."""
    if not window.hours:
        return
    column = table.event_time_column
    ttl_edge = floor_hour(now - table.ttl_hours * HOUR) + HOUR
    past_ttl = [h for h in window.hours if h < ttl_edge]
    if past_ttl:
        raise DataSafetyRefusal(
            f"{table.target}: hours {iso(past_ttl[0])} to {iso(past_ttl[-1] + HOUR)} are past the source's TTL "
            f"({table.ttl_hours} h, fully held only from {iso(ttl_edge)}); replacing them would delete rows from Iceberg"
        )
    oldest = reader.oldest_row(column)
    suspect = [h for h in window.hours if oldest is None or h <= floor_hour(oldest)]
    if not suspect:
        return
    warm = reader.hourly_counts(column, suspect[0], suspect[-1] + HOUR, table.dedup)
    cold = hourly_counts(target, column, suspect[0], suspect[-1] + HOUR)
    lost = [h for h in suspect if cold.get(h, 0) > warm.get(h, 0)]
    if lost:
        held = f"its oldest retained row is {iso(oldest)}" if oldest else "it holds no rows"
        raise DataSafetyRefusal(
            f"{table.target}: ClickHouse no longer fully holds the hours {', '.join(iso(h) for h in lost)} ({held}; "
            f"Iceberg holds more rows there); replacing them would delete rows that exist nowhere else"
        )


@dataclass
class _Prepared:
    table: OffloadTable
    reader: ClickHouseReader
    iceberg: Any
    created: bool
    watermark: datetime | None


def _prepare(client: ArrowSource, catalog: Catalog, spec: Mapping[str, Any], now: datetime) -> _Prepared:
    table = OffloadTable.from_plan(spec)
    reader = ClickHouseReader(client, SourceTable.parse(table.source))
    engine = reader.engine()
    if engine is None:
        raise StepError(f"{table.source}: ClickHouse has no such table")
    if MERGING_ENGINE.match(engine) and table.dedup == "none":
        raise DataSafetyRefusal(
            f"{table.source}: engine {engine} merges rows in the background, so unmerged duplicates would be offloaded; "
            "declare `dedup: final` for this table in the environment file"
        )
    empty = reader.rows(table.event_time_column, now, now, table.dedup)  # no rows: the schema ClickHouse returns
    iceberg, created = load_or_create(catalog, TargetTable.parse(table.target), empty.schema, table.event_time_column)
    return _Prepared(table, reader, iceberg, created, read_watermark(iceberg))


def _commit(prepared: _Prepared, window: Window, now: datetime, run_id: str) -> TableResult:
    table, reader = prepared.table, prepared.reader
    _retained_guard(reader, prepared.iceberg, table, window, now)
    result = TableResult(target=table.target, created=prepared.created)

    def batches(write: Callable[[Any], None]) -> None:
        # An hour is read in READ_SLICES_PER_HOUR slices, each written to Parquet before the next is read: the pod's
        # memory holds a quarter hour, not an hour (npm run bench: 1 M rows an hour stays within 512 MiB).
        step = HOUR / READ_SLICES_PER_HOUR
        for hour in window.hours:
            for i in range(READ_SLICES_PER_HOUR):
                arrow = reader.rows(table.event_time_column, hour + i * step, hour + (i + 1) * step, table.dedup)
                result.rows += arrow.num_rows
                write(arrow)
                del arrow

    properties = {
        WATERMARK_PROPERTY: iso(window.watermark),
        WINDOW_START_PROPERTY: iso(window.start),
        WINDOW_END_PROPERTY: iso(window.end),
        SOURCE_PROPERTY: table.source,
        RUN_PROPERTY: run_id,
    }
    replace_hours(prepared.iceberg, table.event_time_column, window.start, window.end, batches, properties)
    result.hours = [iso(h) for h in window.hours]
    result.watermark = iso(window.watermark)
    result.behind_hours = window.behind_hours
    return result


def offload_table(
    client: ArrowSource, catalog: Catalog, spec: Mapping[str, Any], now: datetime, run_id: str
) -> TableResult:
    """Replaces the table's hours due at ``now`` in one snapshot; raises on any failure (nothing is committed then)."""
    prepared = _prepare(client, catalog, spec, now)
    table = prepared.table
    if prepared.watermark is None and total_rows(prepared.iceberg) > 0:
        raise DataSafetyRefusal(
            f"{table.target}: the table holds {total_rows(prepared.iceberg)} rows but no offload watermark, so which "
            "hours it holds is unknown; backfill it (the backfill's commit carries the watermark) or offload into a new "
            "table"
        )
    resume = RESUME_COMMAND.format(table=table.target.split(".", 1)[1])
    return _commit(prepared, plan_window(table, prepared.watermark, now, resume), now, run_id)


def backfill_table(
    client: ArrowSource, catalog: Catalog, spec: Mapping[str, Any], start: datetime, end: datetime, now: datetime,
    run_id: str,
) -> TableResult:
    """Replaces the whole hours ``[start, end)`` in one snapshot whose watermark is the later of the table's and ``end``
    (so the hourly runs resume after it), under the same retained-rows guard as the hourly runs."""
    if floor_hour(start) != start or floor_hour(end) != end or not start < end:
        raise StepError(f"backfill window {iso(start)} to {iso(end)} is not a non-empty range of whole hours")
    prepared = _prepare(client, catalog, spec, now)
    mark = end if prepared.watermark is None else max(prepared.watermark, end)
    return _commit(prepared, Window(start=start, end=end, watermark=mark, behind_hours=0), now, run_id)


def run_offloads(
    client: ArrowSource,
    catalog: Catalog,
    plan: Mapping[str, Any],
    now: datetime,
    log: Callable[[str], None] = print,
) -> list[TableResult]:
    """Every offload step of the plan. Tables are independent (each reads its own ClickHouse table and commits its own
    snapshot), so one table's failure never keeps the others from running; the failures are reported at the end."""
    job = plan["job"]["name"]
    run_id = f"{job}@{iso(now)}"
    results: list[TableResult] = []
    steps = plan["steps"]
    for index, spec in enumerate(steps, 1):
        try:
            result = offload_table(client, catalog, spec, now, run_id)
            log(
                f"[{job}] step {index}/{len(steps)} offload {result.target}: {len(result.hours)} hours, {result.rows} rows, "
                f"watermark {result.watermark}{f', {result.behind_hours} h still behind' if result.behind_hours else ''}"
            )
        except Exception as error:  # one table's failure is reported, the next table still runs
            first_line = (str(error).strip().splitlines() or [""])[0]
            text = first_line if isinstance(error, StepError) else f"{type(error).__name__}: {first_line}"
            result = TableResult(
                target=str(spec.get("target")), error=f"step {index} (offload {spec.get('target')}): {text}",
                refused=isinstance(error, DataSafetyRefusal),
            )
        results.append(result)
    return results


def utc_now() -> datetime:
    return datetime.now(UTC)
