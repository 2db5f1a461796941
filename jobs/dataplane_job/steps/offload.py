"""ClickHouse -> Iceberg hourly offload, exactly once per hour window.

Design:
- the hours to write come from the target table's watermark (a snapshot summary property committed together with
  the data) and the clock floored to whole hours minus the lag, never from "now" alone;
- every hour is replaced in ONE Iceberg commit (DataFrameWriterV2 overwrite by a filter matching exactly the hour
  partition of hours(event_ts)), so retries, catch-up and backfills rewrite instead of appending;
- the hours still inside the allowed lateness are replaced again on every run, so late rows land exactly once.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..registry import step
from ..session import column_expr

HOUR = timedelta(hours=1)

#: Snapshot summary keys written with every offload commit (write option prefix `snapshot-property.`).
WATERMARK_PROPERTY = "dataplane.offload.watermark"
WINDOW_START_PROPERTY = "dataplane.offload.window-start"
SOURCE_PROPERTY = "dataplane.offload.source"


class OffloadError(RuntimeError):
    """The offload cannot run without risking a lost or duplicated row."""


@dataclass(frozen=True)
class OffloadTable:
    """An `offload` step as rendered by constructs/offload (keys in camelCase, like the whole plan)."""

    source: str
    target: str
    event_time_column: str
    lag_hours: int
    allowed_lateness_hours: int
    outage_tolerance_hours: int

    @staticmethod
    def from_plan(entry: Mapping[str, Any]) -> OffloadTable:
        return OffloadTable(
            source=entry["source"],
            target=entry["target"],
            event_time_column=entry["eventTimeColumn"],
            lag_hours=int(entry["lagHours"]),
            allowed_lateness_hours=int(entry["allowedLatenessHours"]),
            outage_tolerance_hours=int(entry["outageToleranceHours"]),
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def hour_filter(column: str, start: datetime) -> str:
    """A predicate matching exactly one hour partition of hours(column); UTC bounds (spark.sql.session.timeZone=UTC)."""
    fmt = "%Y-%m-%d %H:%M:%S"
    return f"`{column}` >= TIMESTAMP '{start.strftime(fmt)}' AND `{column}` < TIMESTAMP '{(start + HOUR).strftime(fmt)}'"


def read_watermark(spark: Any, target: str) -> datetime | None:
    """The highest window end committed by an offload among the current snapshot's ancestors.

    Snapshots written by maintenance (compaction, manifest rewrite) carry no offload properties, and snapshots that
    were rolled back are not ancestors, so both are ignored.
    """
    ancestors = {row["snapshot_id"] for row in spark.table(f"{target}.history").collect() if row["is_current_ancestor"]}
    marks = [
        parse_iso(row["summary"][WATERMARK_PROPERTY])
        for row in spark.table(f"{target}.snapshots").collect()
        if row["snapshot_id"] in ancestors and WATERMARK_PROPERTY in (row["summary"] or {})
    ]
    return max(marks, default=None)


def hours_to_write(table: OffloadTable, watermark: datetime | None, now: datetime) -> list[datetime]:
    """The hour starts this run replaces, oldest first.

    `limit` is the end of the newest closed, lagged window. Hours from the watermark up to `limit` are caught up; the
    `allowed_lateness_hours` hours before `limit` are replaced again so rows that arrived late are picked up. A
    watermark older than the outage tolerance means ClickHouse TTL may already have dropped rows of the missing hours,
    and replacing those hours would delete them from Iceberg as well, so the run stops instead.
    """
    limit = floor_hour(now) - table.lag_hours * HOUR
    oldest_allowed = limit - table.outage_tolerance_hours * HOUR
    if watermark is None:
        start = oldest_allowed
    elif watermark < oldest_allowed:
        raise OffloadError(
            f"{table.target}: watermark {iso(watermark)} is older than the outage tolerance "
            f"({table.outage_tolerance_hours} h before {iso(limit)}); ClickHouse TTL may have deleted rows of the missing "
            "hours, so they must be recovered by a reviewed backfill"
        )
    else:
        start = min(watermark, limit - table.allowed_lateness_hours * HOUR)
    hours = []
    hour = start
    while hour < limit:
        hours.append(hour)
        hour += HOUR
    return hours


def write_hour(spark: Any, table: OffloadTable, hour: datetime, watermark: datetime | None, expr: Callable[[str], Any]) -> datetime:
    """Replaces one hour partition in one commit; returns the watermark that commit carries."""
    predicate = hour_filter(table.event_time_column, hour)
    rows = spark.table(table.source).where(predicate)
    new_mark = max(watermark, hour + HOUR) if watermark is not None else hour + HOUR
    (
        rows.writeTo(table.target)
        .option(f"snapshot-property.{WATERMARK_PROPERTY}", iso(new_mark))
        .option(f"snapshot-property.{WINDOW_START_PROPERTY}", iso(hour))
        .option(f"snapshot-property.{SOURCE_PROPERTY}", table.source)
        .overwrite(expr(predicate))
    )
    return new_mark


def run_offload(
    spark: Any,
    step: Mapping[str, Any],
    clock: Callable[[], datetime] | None = None,
    expr: Callable[[str], Any] = column_expr,
) -> list[str]:
    """Runs one `offload` step (one table; a plan lists a group's tables in dependency order); returns the hours written."""
    table = OffloadTable.from_plan(step)
    watermark = read_watermark(spark, table.target)
    hours = hours_to_write(table, watermark, (clock or utc_now)())
    for hour in hours:
        watermark = write_hour(spark, table, hour, watermark, expr)
    return [iso(h) for h in hours]


@step("offload", required=("source", "target", "eventTimeColumn", "lagHours", "allowedLatenessHours", "outageToleranceHours"))
def offload_step(ctx: Any, spec: Mapping[str, Any]) -> list[str]:
    """The plan handler: the run's one clock reading and the session's column builder drive `run_offload`."""
    return run_offload(ctx.spark, spec, clock=lambda: ctx.started_at, expr=ctx.expr)
