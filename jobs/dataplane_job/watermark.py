"""Snapshot summary keys of the hourly offload, shared by the tier-1 writer and the Spark backfill (``etl`` step).

Every offload commit carries the end of the newest hour it holds; the watermark of a table is the highest value among
the current snapshot's ancestors, so maintenance snapshots (which carry none) and rolled-back snapshots are ignored,
and a backfill whose window ends later moves the watermark forward (the recovery from a stale watermark).

The tier-1 writer also sets the watermark and its snapshot id as table properties in the same commit: snapshot expiry
after a compaction can leave no offload snapshot among the ancestors, and the properties keep the watermark then. They
count only while that snapshot is expired (no longer in the metadata); a snapshot still present but not an ancestor
was rolled back, and so was its watermark. (A rollback whose abandoned snapshot is then expired before the next run
looks like an expiry: roll back together with `ALTER TABLE ... UNSET TBLPROPERTIES` of both properties.)
"""

WATERMARK_PROPERTY = "dataplane.offload.watermark"
WINDOW_START_PROPERTY = "dataplane.offload.window-start"
WINDOW_END_PROPERTY = "dataplane.offload.window-end"
SOURCE_PROPERTY = "dataplane.offload.source"
RUN_PROPERTY = "dataplane.offload.run"
WATERMARK_SNAPSHOT_PROPERTY = "dataplane.offload.watermark-snapshot-id"
