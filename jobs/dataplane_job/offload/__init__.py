"""The tier-1 hourly ClickHouse -> Iceberg offload (ADR-006): one JVM-free process per run, on pyiceberg and Arrow.

``python -m dataplane_job.offload <plan.json>`` runs the ``offload`` steps of a plan rendered by
``constructs/offload``: for each table it reads the closed, lagged hours from ClickHouse into Arrow (``clickhouse.py``),
writes them as Parquet files and replaces exactly those hours of the Iceberg table in one snapshot that also carries
the watermark (``iceberg.py``). Which hours a run writes (``hours.py``) follows from that watermark and the clock
floored to whole UTC hours, so a retry, a second run or a late run rewrites instead of appending. Large backfills stay
on Spark (``etl`` step), whose commit carries the same watermark.
"""
