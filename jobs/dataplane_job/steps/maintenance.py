"""Iceberg table maintenance through the catalog's stored procedures (Iceberg 1.11 ``CALL <catalog>.system.*``)."""

from .. import sqltext
from ..errors import DataSafetyRefusal, StepError
from ..registry import step

# Iceberg's remove_orphan_files refuses less; files younger than that may belong to a write still in progress.
MIN_ORPHAN_AGE_HOURS = 24


def _call(ctx, catalog, procedure, arguments):
    args = ", ".join(f"{key} => {value}" for key, value in arguments.items())
    rows = ctx.spark.sql(f"CALL {catalog}.system.{procedure}({args})").collect()
    return rows[0].asDict() if rows else {}


@step("rewrite-data-files", required=("table", "eventTimeColumn", "skipRecentHours", "targetFileSizeBytes"))
def rewrite_data_files(ctx, spec):
    catalog, table = sqltext.split_table(spec["table"])
    cutoff = ctx.hours_before_start(sqltext.whole(spec, "skipRecentHours", 1))
    # The newest hours are left alone: the offload may still replace them, and a conflicting rewrite would fail.
    where = f"{sqltext.column(spec['eventTimeColumn'])} < {sqltext.timestamp(cutoff)}"
    size = sqltext.whole(spec, "targetFileSizeBytes", 1)
    return _call(ctx, catalog, "rewrite_data_files", {
        "table": sqltext.string(table),
        "strategy": "'binpack'",
        "options": f"map('target-file-size-bytes', '{size}')",
        "where": sqltext.string(where),
    })


@step("expire-snapshots", required=("table", "retentionHours", "retainLast"))
def expire_snapshots(ctx, spec):
    catalog, table = sqltext.split_table(spec["table"])
    older_than = ctx.hours_before_start(sqltext.whole(spec, "retentionHours", 1))
    return _call(ctx, catalog, "expire_snapshots", {
        "table": sqltext.string(table),
        "older_than": sqltext.timestamp(older_than),
        "retain_last": str(sqltext.whole(spec, "retainLast", 1)),
        "stream_results": "true",
    })


@step("remove-orphan-files", required=("table", "olderThanHours", "dryRun"))
def remove_orphan_files(ctx, spec):
    catalog, table = sqltext.split_table(spec["table"])
    hours = sqltext.whole(spec, "olderThanHours", 1)
    if hours < MIN_ORPHAN_AGE_HOURS:
        raise DataSafetyRefusal(f"olderThanHours {hours} is under {MIN_ORPHAN_AGE_HOURS}: files of writes in progress would be deleted")
    return _call(ctx, catalog, "remove_orphan_files", {
        "table": sqltext.string(table),
        "older_than": sqltext.timestamp(ctx.hours_before_start(hours)),
        # List through the table's FileIO, which carries the vended credentials, instead of Hadoop's S3A.
        "prefix_listing": "true",
        "dry_run": "true" if spec["dryRun"] is True else "false",
    })


@step("rewrite-manifests", required=("table",))
def rewrite_manifests(ctx, spec):
    catalog, table = sqltext.split_table(spec["table"])
    return _call(ctx, catalog, "rewrite_manifests", {"table": sqltext.string(table)})
