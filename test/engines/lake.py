"""Test-side access to the plane's Iceberg tables, run with spark-submit under the same conf as the jobs.

``lake.py seed <spec.json> <out.json>`` creates and fills tables (then runs the spec's ``sql``), then reports them;
``lake.py inspect <spec.json> <out.json>`` only reports. The report is read from Iceberg's own metadata tables (files,
snapshots, manifests); the spec's ``queries`` are answered under ``query:<name>``.
"""

import json
import sys
from datetime import datetime, timedelta

from pyspark.sql import SparkSession

COLUMNS = "trade_id BIGINT, symbol STRING, price DOUBLE, event_ts TIMESTAMP"


def seed(spark, spec):
    # The plane may have served earlier runs: start from no tables.
    for name in spec.get("drop", []):
        spark.sql(f"DROP TABLE IF EXISTS {name} PURGE")
    for namespace in spec.get("namespaces", []):
        spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {namespace}")
    for table in spec.get("tables", []):
        start_hour = datetime.fromisoformat(spec["startHour"].replace("Z", "+00:00")).replace(tzinfo=None)
        name = table["name"]
        # No write distribution and the fanout writer: every task writes its own file per partition.
        spark.sql(
            f"CREATE TABLE {name} ({COLUMNS}) USING iceberg PARTITIONED BY ({table.get('partitionedBy', 'hours(event_ts)')}) "
            "TBLPROPERTIES ('write.distribution-mode'='none', 'write.spark.fanout.enabled'='true')"
        )
        rows = []
        for offset in table["hoursBeforeStart"]:
            hour = start_hour - timedelta(hours=offset)
            rows += [(len(rows) + i, f"S{i % 7}", 100.0 + i, hour + timedelta(seconds=37 * i)) for i in range(table["rowsPerHour"])]
        spark.createDataFrame(rows, COLUMNS).repartition(table["filesPerHour"]).writeTo(name).append()
        for i in range(table.get("extraSnapshots", 0)):
            hour = start_hour - timedelta(hours=table["hoursBeforeStart"][0])
            spark.sql(f"INSERT INTO {name} VALUES ({100000 + i}, 'X', 1.0, TIMESTAMP '{hour:%Y-%m-%d %H:%M:%S}')")
    for statement in spec.get("sql", []):
        spark.sql(statement)


def inspect(spark, spec):
    report = {f"query:{key}": [r.asDict() for r in spark.sql(text).collect()] for key, text in spec.get("queries", {}).items()}
    for name in spec.get("inspect", []):
        if not spark.catalog.tableExists(name):
            report[name] = None
            continue
        files = spark.sql(f"SELECT partition, file_path FROM {name}.files").collect()
        per_partition = {}
        for row in files:
            key = json.dumps(row["partition"].asDict(), default=str, sort_keys=True, separators=(",", ":")) if row["partition"] else "{}"
            per_partition[key] = per_partition.get(key, 0) + 1
        location = [r for r in spark.sql(f"DESCRIBE TABLE EXTENDED {name}").collect() if r["col_name"] == "Location"]
        report[name] = {
            "rows": spark.table(name).count(),
            "columns": [c for c, _ in spark.table(name).dtypes],
            "filesPerPartition": per_partition,
            "dataFiles": sorted(r["file_path"] for r in files),
            "snapshots": spark.sql(f"SELECT count(*) AS n FROM {name}.snapshots").collect()[0]["n"],
            "manifests": spark.sql(f"SELECT count(*) AS n FROM {name}.manifests").collect()[0]["n"],
            "partitioning": partition_fields(spark, name),
            "location": location[0]["data_type"] if location else None,
            "sample": [r.asDict() for r in spark.table(name).orderBy(*spark.table(name).columns[:1]).limit(3).collect()],
        }
    return report


def partition_fields(spark, name):
    """The partition fields (``symbol``, ``event_ts_hour``), from Iceberg's partitions metadata table."""
    schema = spark.table(f"{name}.partitions").schema
    return [field.name for field in schema["partition"].dataType.fields] if "partition" in schema.fieldNames() else []


def main(mode, spec_file, out_file):
    with open(spec_file, encoding="utf-8") as handle:
        spec = json.load(handle)
    spark = SparkSession.builder.appName(f"lake-{mode}").getOrCreate()
    try:
        if mode == "seed":
            seed(spark, spec)
        with open(out_file, "w", encoding="utf-8") as handle:
            json.dump(inspect(spark, spec), handle, default=str)
    finally:
        spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:4])
