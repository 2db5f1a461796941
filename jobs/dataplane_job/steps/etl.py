"""``etl``: source -> transform -> target, appending, or replacing exactly one time window in one commit."""

from .. import sqltext
from ..errors import DataSafetyRefusal, StepError
from ..registry import step

SOURCE_VIEW = "source"


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
    ctx.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {SOURCE_VIEW} AS SELECT * FROM {source}{where}")
    if spec["emptySource"] == "fail":
        rows = ctx.spark.sql(f"SELECT count(*) AS n FROM {SOURCE_VIEW}").collect()[0]["n"]
        if rows == 0:
            raise DataSafetyRefusal(f"{source} has no rows{' in ' + predicate if predicate else ''}; nothing was written")
    writer = ctx.spark.sql(spec["transform"]).writeTo(target)
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
