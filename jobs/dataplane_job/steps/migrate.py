"""``migrate-namespace``: copies tables (schema, partitioning, rows) from one catalog's namespace to another's."""

from typing import Any

from .. import sqltext
from ..context import StepContext
from ..errors import StepError
from ..registry import step


@step("migrate-namespace", required=("source", "target"))
def migrate_namespace(ctx: StepContext, spec: dict[str, Any]) -> Any:
    source = sqltext.name(spec["source"], 2, "source namespace")
    target = sqltext.name(spec["target"], 2, "target namespace")
    if source == target:
        raise StepError(f"source and target are both {source}")
    tables = spec.get("tables") or [row["tableName"] for row in ctx.spark.sql(f"SHOW TABLES IN {source}").collect()]
    existing = {row["tableName"] for row in ctx.spark.sql(f"SHOW TABLES IN {target}").collect()}
    copied, skipped = [], []
    for name in tables:
        sqltext.name(name, 1, "table")
        if name in existing:
            # Already migrated (a re-run after a failure): never overwrite what the target has.
            skipped.append(name)
            continue
        partitioning = partition_transforms(ctx.spark.sql(f"DESCRIBE TABLE {source}.{name}").collect())
        clause = f" PARTITIONED BY ({', '.join(partitioning)})" if partitioning else ""
        ctx.spark.sql(f"CREATE TABLE {target}.{name} USING iceberg{clause} AS SELECT * FROM {source}.{name}")
        copied.append(name)
    return {"copied": copied, "skipped": skipped}


def partition_transforms(describe_rows: Any) -> list[str]:
    """The partitioning in Spark's DESCRIBE TABLE output: transforms (`Part 0 | hours(event_ts)`) or identity columns."""
    transforms, section = [], None
    for row in describe_rows:
        label, value = (row["col_name"] or "").strip(), (row["data_type"] or "").strip()
        if label in ("# Partitioning", "# Partition Information"):
            section = label
        elif section and (not label or (label.startswith("#") and label != "# col_name")):
            section = None
        elif section == "# Partitioning" and label.startswith("Part "):
            transforms.append(value)
        elif section == "# Partition Information" and label != "# col_name":
            transforms.append(sqltext.column(label))
    return transforms
