"""``audit-counts``: warm (ClickHouse) against cold (Iceberg) row counts per layer and hour; fails on any mismatch."""

from .. import sqltext
from ..errors import StepError
from ..registry import step

RESULT_COLUMNS = "audited_at TIMESTAMP, job STRING, layer STRING, hour TIMESTAMP, warm_rows BIGINT, cold_rows BIGINT, matches BOOLEAN"

# Mismatches named in the failure message; all of them are in the result table.
SHOWN_MISMATCHES = 10


@step("audit-counts", required=("eventTimeColumn", "resultTable", "layers"))
def audit_counts(ctx, spec):
    column = sqltext.column(spec["eventTimeColumn"])
    result_table = sqltext.table(spec["resultTable"])
    layers = spec["layers"]
    if not isinstance(layers, list) or not layers:
        raise StepError("layers is not a non-empty list")

    results, mismatches, windows = [], [], {}
    for layer in layers:
        skip, lookback = sqltext.whole(layer, "skipRecentHours", 0), sqltext.whole(layer, "lookbackHours", 1)
        if lookback <= skip:
            raise StepError(f"{layer.get('layer')}: lookbackHours {lookback} is not more than skipRecentHours {skip}")
        start, end = ctx.hours_before_start(lookback), ctx.hours_before_start(skip)
        windows[layer["layer"]] = (start.isoformat(), end.isoformat())
        window = f"{column} >= {sqltext.timestamp(start)} AND {column} < {sqltext.timestamp(end)}"
        warm = _warm_counts(ctx, layer, column, window)
        cold = _hourly_counts(ctx, sqltext.table(layer.get("cold")), column, window)
        for hour in sorted(set(warm) | set(cold)):
            warm_rows, cold_rows = warm.get(hour, 0), cold.get(hour, 0)
            results.append((ctx.started_at, ctx.plan["job"]["name"], layer["layer"], hour, warm_rows, cold_rows, warm_rows == cold_rows))
            if warm_rows != cold_rows:
                mismatches.append(f"{layer['layer']} {hour:%Y-%m-%d %H:00}: ClickHouse {warm_rows}, Iceberg {cold_rows}")

    ctx.spark.sql(f"CREATE TABLE IF NOT EXISTS {result_table} ({RESULT_COLUMNS}) USING iceberg PARTITIONED BY (days(audited_at))")
    if results:
        ctx.spark.createDataFrame(results, RESULT_COLUMNS).writeTo(result_table).append()
    if mismatches:
        shown = "; ".join(mismatches[:SHOWN_MISMATCHES])
        more = f" (and {len(mismatches) - SHOWN_MISMATCHES} more)" if len(mismatches) > SHOWN_MISMATCHES else ""
        raise StepError(f"{len(mismatches)} layer-hours differ between ClickHouse and Iceberg: {shown}{more}; see {result_table}")
    return {"compared": len(results), "windows": windows}


#: The ClickHouse Spark connector appends this conf to its SELECTs as a SETTINGS clause; ``final=1`` reads every table
#: of the query with FINAL, as the offload reads a merging engine.
CLICKHOUSE_READ_SETTINGS = "spark.clickhouse.read.settings"


def _warm_counts(ctx, layer, column, window):
    """Counted the way the offload read the rows: with FINAL where the layer says so."""
    table = sqltext.table(layer.get("warm"))
    if not layer.get("warmFinal"):
        return _hourly_counts(ctx, table, column, window)
    ctx.spark.conf.set(CLICKHOUSE_READ_SETTINGS, "final=1")
    try:
        return _hourly_counts(ctx, table, column, window)
    finally:
        ctx.spark.conf.unset(CLICKHOUSE_READ_SETTINGS)


def _hourly_counts(ctx, table, column, window):
    rows = ctx.spark.sql(
        f"SELECT date_trunc('HOUR', {column}) AS hour, count(*) AS n FROM {table} WHERE {window} GROUP BY date_trunc('HOUR', {column})"
    ).collect()
    return {row["hour"]: row["n"] for row in rows}
