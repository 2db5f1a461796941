import unittest

from dataplane_job.errors import StepError

from .fake_spark import FakeSpark
from .helpers import run

TABLE = "polaris.trading.raw_trades"


class MaintenanceStepsTest(unittest.TestCase):
    """Bad input the steps refuse before calling Spark; what the procedures do is proven in test/engines."""

    def test_orphan_cleanup_refuses_less_than_24_hours(self):
        spark = FakeSpark()
        with self.assertRaisesRegex(StepError, "olderThanHours 23 is under 24"):
            run(spark, {"type": "remove-orphan-files", "table": TABLE, "olderThanHours": 23, "dryRun": False})
        self.assertEqual(spark.statements, [])

    def test_tables_must_be_fully_qualified_identifiers(self):
        for bad in ("trading.raw_trades", "polaris.trading.raw_trades; DROP TABLE x", "polaris.trading.raw-trades"):
            with self.subTest(table=bad), self.assertRaisesRegex(StepError, "is not 3 dot-separated identifiers"):
                run(FakeSpark(), {"type": "rewrite-manifests", "table": bad})

    def test_compaction_must_skip_at_least_one_hour(self):
        with self.assertRaisesRegex(StepError, "skipRecentHours 0 is not a whole number >= 1"):
            run(FakeSpark(), {"type": "rewrite-data-files", "table": TABLE, "eventTimeColumn": "event_ts", "skipRecentHours": 0, "targetFileSizeBytes": 1})


if __name__ == "__main__":
    unittest.main()
