"""``profile-table``: per-column statistics over a random sample, appended to a result table."""

from typing import Any

from .. import sqltext
from ..context import StepContext
from ..errors import StepError
from ..registry import step

RESULT_COLUMNS = (
    "profiled_at TIMESTAMP, table_name STRING, column_name STRING, data_type STRING, table_rows BIGINT, "
    "sampled_rows BIGINT, null_rows BIGINT, distinct_values BIGINT, min_value STRING, max_value STRING"
)
SAMPLE_VIEW = "profile_sample"
# Types Spark cannot order or hash: only their nulls are counted.
UNORDERED_TYPES = ("map", "struct", "variant")


@step("profile-table", required=("table", "sampleRows", "resultTable"))
def profile_table(ctx: StepContext, spec: dict[str, Any]) -> Any:
    table, result_table = sqltext.table(spec["table"]), sqltext.table(spec["resultTable"])
    sample_rows = sqltext.whole(spec, "sampleRows", 1)
    total = ctx.spark.sql(f"SELECT count(*) AS n FROM {table}").collect()[0]["n"]
    # Bernoulli sampling of the share that yields about sample_rows rows (Iceberg answers count(*) from metadata).
    percent = 100.0 if total <= sample_rows else 100.0 * sample_rows / total
    ctx.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {SAMPLE_VIEW} AS SELECT * FROM {table} TABLESAMPLE ({percent:.6f} PERCENT)")

    columns = ctx.spark.table(table).dtypes
    if not columns:
        raise StepError(f"{table} has no columns")
    measures = ["count(*) AS sampled"]
    for i, (name, data_type) in enumerate(columns):
        col = sqltext.column(name)
        measures.append(f"count({col}) AS n{i}")
        if not data_type.startswith(UNORDERED_TYPES):
            measures += [f"approx_count_distinct({col}) AS d{i}", f"CAST(min({col}) AS STRING) AS lo{i}", f"CAST(max({col}) AS STRING) AS hi{i}"]
    stats = ctx.spark.sql(f"SELECT {', '.join(measures)} FROM {SAMPLE_VIEW}").collect()[0].asDict()

    sampled = stats["sampled"]
    rows = [
        (
            ctx.started_at, table, name, data_type, total, sampled, sampled - stats[f"n{i}"],
            stats.get(f"d{i}"), stats.get(f"lo{i}"), stats.get(f"hi{i}"),
        )
        for i, (name, data_type) in enumerate(columns)
    ]
    ctx.spark.sql(f"CREATE TABLE IF NOT EXISTS {result_table} ({RESULT_COLUMNS}) USING iceberg PARTITIONED BY (days(profiled_at))")
    ctx.spark.createDataFrame(rows, RESULT_COLUMNS).writeTo(result_table).append()
    return {"table": table, "columns": len(rows), "sampled_rows": sampled, "table_rows": total}
