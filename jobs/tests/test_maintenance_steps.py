import unittest

from dataplane_job.errors import StepError

from .fake_spark import FakeSpark
from .helpers import run

TABLE = "polaris.trading.raw_trades"


class MaintenanceStepsTest(unittest.TestCase):
    """The run starts 2026-08-20 02:07:30 UTC, so its start hour is 02:00."""

    def test_compaction_rewrites_only_hours_older_than_the_skipped_ones(self):
        spark = FakeSpark().respond(r"rewrite_data_files", [{"rewritten_data_files_count": 24, "added_data_files_count": 1}])
        [result] = run(spark, {"type": "rewrite-data-files", "table": TABLE, "eventTimeColumn": "event_ts", "skipRecentHours": 3, "targetFileSizeBytes": 536870912})
        self.assertEqual(
            spark.statements,
            [
                "CALL polaris.system.rewrite_data_files(table => 'trading.raw_trades', strategy => 'binpack', "
                "options => map('target-file-size-bytes', '536870912'), where => '`event_ts` < TIMESTAMP \\'2026-08-19 23:00:00\\'')"
            ],
        )
        self.assertEqual(result, {"rewritten_data_files_count": 24, "added_data_files_count": 1})

    def test_snapshot_expiry_keeps_the_retention_window_and_the_last_snapshots(self):
        spark = FakeSpark()
        run(spark, {"type": "expire-snapshots", "table": TABLE, "retentionHours": 168, "retainLast": 24})
        self.assertEqual(
            spark.statements,
            ["CALL polaris.system.expire_snapshots(table => 'trading.raw_trades', older_than => TIMESTAMP '2026-08-13 02:00:00', retain_last => 24, stream_results => true)"],
        )

    def test_orphan_cleanup_lists_through_the_table_io(self):
        spark = FakeSpark()
        run(spark, {"type": "remove-orphan-files", "table": TABLE, "olderThanHours": 72, "dryRun": True})
        self.assertEqual(
            spark.statements,
            ["CALL polaris.system.remove_orphan_files(table => 'trading.raw_trades', older_than => TIMESTAMP '2026-08-17 02:00:00', prefix_listing => true, dry_run => true)"],
        )

    def test_orphan_cleanup_refuses_less_than_24_hours(self):
        spark = FakeSpark()
        with self.assertRaisesRegex(StepError, "olderThanHours 23 is under 24"):
            run(spark, {"type": "remove-orphan-files", "table": TABLE, "olderThanHours": 23, "dryRun": False})
        self.assertEqual(spark.statements, [])

    def test_manifest_rewrite(self):
        spark = FakeSpark()
        run(spark, {"type": "rewrite-manifests", "table": TABLE})
        self.assertEqual(spark.statements, ["CALL polaris.system.rewrite_manifests(table => 'trading.raw_trades')"])

    def test_tables_must_be_fully_qualified_identifiers(self):
        for bad in ("trading.raw_trades", "polaris.trading.raw_trades; DROP TABLE x", "polaris.trading.raw-trades"):
            with self.subTest(table=bad), self.assertRaisesRegex(StepError, "is not 3 dot-separated identifiers"):
                run(FakeSpark(), {"type": "rewrite-manifests", "table": bad})

    def test_compaction_must_skip_at_least_one_hour(self):
        with self.assertRaisesRegex(StepError, "skipRecentHours 0 is not a whole number >= 1"):
            run(FakeSpark(), {"type": "rewrite-data-files", "table": TABLE, "eventTimeColumn": "event_ts", "skipRecentHours": 0, "targetFileSizeBytes": 1})


if __name__ == "__main__":
    unittest.main()
