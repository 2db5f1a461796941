"""A Spark Connect client session against a tenant's server: write a table in the tenant's namespace, read it back.

Usage: python spark_connect_client.py <sc://host:port> <catalog.namespace> <out.json>
"""

import json
import sys

from pyspark.sql import SparkSession


def main(remote: str, namespace: str, out: str) -> None:
    spark = SparkSession.builder.remote(remote).getOrCreate()
    table = f"{namespace}.connect_probe"
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {namespace}")
    # The plane outlives one run: start from no table.
    spark.sql(f"DROP TABLE IF EXISTS {table} PURGE")
    spark.sql(f"CREATE TABLE {table} (id BIGINT, symbol STRING) USING iceberg")
    spark.createDataFrame([(1, "AAPL"), (2, "MSFT"), (3, "NVDA")], "id BIGINT, symbol STRING").writeTo(table).append()
    rows = [r.asDict() for r in spark.table(table).orderBy("id").collect()]
    snapshots = spark.sql(f"SELECT count(*) AS n FROM {table}.snapshots").collect()[0]["n"]
    catalog = spark.conf.get("spark.sql.defaultCatalog")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"rows": rows, "snapshots": snapshots, "defaultCatalog": catalog}, f)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
