"""``etl``: source -> transform -> target, appending, or replacing exactly one time window in one commit."""

from datetime import timedelta

from .. import sqltext
from ..errors import DataSafetyRefusal, StepError
from ..registry import step
from ..watermark import WATERMARK_PROPERTY

SOURCE_VIEW = "source"
HOUR = timedelta(hours=1)
#: Appended by the ClickHouse Spark connector to its SELECTs as a SETTINGS clause (``final=1``: read with FINAL).
CLICKHOUSE_READ_SETTINGS = "spark.clickhouse.read.settings"


@step("etl", required=("source", "target", "transform", "emptySource"))
def etl(ctx, spec):
    source, target = sqltext.table(spec["source"]), sqltext.table(spec["target"])
    if not isinstance(spec["transform"], str) or not spec["transform"].strip():
        raise StepError("transform is not a SQL query")
    if spec["emptySource"] not in ("allow", "fail"):
        raise StepError(f"emptySource {spec['emptySource']!r} is not 'allow' or 'fail'")
    window = spec.get("window")
    predicate = _window_predicate(window) if window is not None else None
    where = f" WHERE {predicate}" if predicate else ""
    backfill = spec.get("backfill")
    if backfill is not None:
        if predicate is None:
            raise StepError("backfill needs a window")
        if backfill.get("dedup") == "final":
            ctx.spark.conf.set(CLICKHOUSE_READ_SETTINGS, "final=1")
        _retained_guard(ctx, source, target, window, sqltext.whole(backfill, "ttlHours", 1))
    ctx.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {SOURCE_VIEW} AS SELECT * FROM {source}{where}")
    if spec["emptySource"] == "fail":
        rows = ctx.spark.sql(f"SELECT count(*) AS n FROM {SOURCE_VIEW}").collect()[0]["n"]
        if rows == 0:
            raise DataSafetyRefusal(f"{source} has no rows{' in ' + predicate if predicate else ''}; nothing was written")
    writer = ctx.spark.sql(spec["transform"]).writeTo(target)
    if backfill is not None:
        # The commit carries the offload watermark (the highest among the ancestors counts), so the hourly offload
        # resumes after a backfill that covers a stale watermark's hours.
        end = sqltext.instant(window["to"], "window.to")
        writer = writer.option(f"snapshot-property.{WATERMARK_PROPERTY}", end.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if predicate:
        # Overwrite-by-filter deletes and adds in one snapshot, so a re-run replaces the window instead of adding to it.
        writer.overwrite(ctx.expr(predicate))
        return {"target": target, "replaced": predicate}
    writer.append()
    return {"target": target, "appended": True}


def _window_predicate(window):
    if not isinstance(window, dict):
        raise StepError("window is not an object with column, from and to")
    column = sqltext.column(window.get("column"))
    start, end = sqltext.instant(window.get("from"), "window.from"), sqltext.instant(window.get("to"), "window.to")
    if not start < end:
        raise StepError(f"window.from {window.get('from')} is not before window.to {window.get('to')}")
    if any(t.minute or t.second or t.microsecond for t in (start, end)):
        # Iceberg only overwrites by a filter that matches whole files, i.e. whole hour partitions.
        raise StepError("window bounds are not whole hours, so the replace would not match whole hour partitions")
    return f"{column} >= {sqltext.timestamp(start)} AND {column} < {sqltext.timestamp(end)}"


def _retained_guard(ctx, source, target, window, ttl_hours):
    """Refuses a backfill of hours ClickHouse no longer fully holds: past the TTL at this run's start, or at or before
    its oldest retained row where Iceberg holds more rows than ClickHouse (the tier-1 writer's rule)."""
    column = sqltext.column(window["column"])
    start, end = sqltext.instant(window["from"], "window.from"), sqltext.instant(window["to"], "window.to")
    hours = [start + i * HOUR for i in range(int((end - start) / HOUR))]
    held_from = ctx.hours_before_start(ttl_hours) + HOUR
    past = [h for h in hours if h < held_from]
    if past:
        raise DataSafetyRefusal(
            f"{target}: hours {_hour(past[0])} to {_hour(past[-1] + HOUR)} are past {source}'s TTL ({ttl_hours} h; "
            f"fully held only from {_hour(held_from)}); replacing them would delete rows from Iceberg"
        )
    oldest = ctx.spark.sql(f"SELECT min({column}) AS oldest FROM {source}").collect()[0]["oldest"]
    oldest_hour = oldest.replace(minute=0, second=0, microsecond=0) if oldest is not None else None
    suspect = [h for h in hours if oldest_hour is None or h.replace(tzinfo=None) <= oldest_hour.replace(tzinfo=None)]
    if not suspect:
        return
    bounds = f"{column} >= {sqltext.timestamp(suspect[0])} AND {column} < {sqltext.timestamp(suspect[-1] + HOUR)}"

    def counts(table):
        rows = ctx.spark.sql(
            f"SELECT date_trunc('HOUR', {column}) AS hour, count(*) AS n FROM {table} WHERE {bounds} "
            f"GROUP BY date_trunc('HOUR', {column})"
        ).collect()
        return {row["hour"].replace(tzinfo=None): row["n"] for row in rows}

    warm, cold = counts(source), counts(target)
    lost = [h for h in suspect if cold.get(h.replace(tzinfo=None), 0) > warm.get(h.replace(tzinfo=None), 0)]
    if lost:
        held = f"its oldest retained row is {oldest}" if oldest is not None else "it holds no rows"
        raise DataSafetyRefusal(
            f"{target}: {source} no longer fully holds the hours {', '.join(_hour(h) for h in lost)} ({held}; Iceberg "
            "holds more rows there); replacing them would delete rows that exist nowhere else"
        )


def _hour(moment):
    return moment.strftime("%Y-%m-%dT%H:00Z")
