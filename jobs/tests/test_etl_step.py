import unittest

from dataplane_job.errors import StepError

from .fake_spark import FakeSpark
from .helpers import run

WINDOW = {"column": "event_ts", "from": "2026-08-01T00:00:00Z", "to": "2026-08-01T03:00:00Z"}
PREDICATE = "`event_ts` >= TIMESTAMP '2026-08-01 00:00:00' AND `event_ts` < TIMESTAMP '2026-08-01 03:00:00'"


def etl(**overrides):
    spec = {"type": "etl", "source": "polaris.trading.bronze_trades", "target": "polaris.trading.silver_trades",
            "transform": "SELECT * FROM source WHERE price > 0", "emptySource": "allow"}
    spec.update(overrides)
    return spec


class EtlStepTest(unittest.TestCase):
    def test_without_a_window_the_transform_is_appended(self):
        spark = FakeSpark().respond(r"price > 0", [{"id": 1}, {"id": 2}])
        run(spark, etl())
        self.assertEqual(spark.statements, [
            "CREATE OR REPLACE TEMPORARY VIEW source AS SELECT * FROM polaris.trading.bronze_trades",
            "SELECT * FROM source WHERE price > 0",
        ])
        [write] = spark.writes
        self.assertEqual((write.table, write.mode, len(write.rows)), ("polaris.trading.silver_trades", "append", 2))

    def test_a_window_reads_only_the_window_and_replaces_exactly_it(self):
        spark = FakeSpark().respond(r"price > 0", [{"id": 1}])
        run(spark, etl(window=WINDOW))
        self.assertEqual(spark.statements[0], f"CREATE OR REPLACE TEMPORARY VIEW source AS SELECT * FROM polaris.trading.bronze_trades WHERE {PREDICATE}")
        [write] = spark.writes
        self.assertEqual((write.table, write.mode, write.condition), ("polaris.trading.silver_trades", "overwrite", PREDICATE))

    def test_an_empty_source_window_fails_before_writing_when_asked(self):
        spark = FakeSpark().respond(r"count\(\*\) AS n FROM source", [{"n": 0}])
        with self.assertRaisesRegex(StepError, "polaris.trading.bronze_trades has no rows in .*; nothing was written"):
            run(spark, etl(window=WINDOW, emptySource="fail"))
        self.assertEqual(spark.writes, [])

    def test_an_empty_source_window_clears_the_window_when_allowed(self):
        spark = FakeSpark()
        run(spark, etl(window=WINDOW))
        [write] = spark.writes
        self.assertEqual((write.mode, write.rows), ("overwrite", []))

    def test_a_backfill_commit_carries_the_offload_watermark_and_reads_final_when_declared(self):
        from datetime import datetime

        spark = FakeSpark().respond(r"min\(`event_ts`\) AS oldest", [{"oldest": datetime(2026, 7, 30, 5, 10)}])
        spark.respond(r"price > 0", [{"id": 1}])
        run(spark, etl(window=WINDOW, backfill={"ttlHours": 480, "dedup": "final"}))
        [write] = spark.writes
        self.assertEqual(write.options, {"snapshot-property.dataplane.offload.watermark": "2026-08-01T03:00:00Z"})
        self.assertEqual(spark.conf.get("spark.clickhouse.read.settings"), "final=1")

    def test_a_backfill_past_the_ttl_is_refused_naming_the_hours(self):
        from dataplane_job.errors import DataSafetyRefusal

        spark = FakeSpark()
        with self.assertRaisesRegex(DataSafetyRefusal, r"hours 2026-08-01T00:00Z to 2026-08-01T03:00Z are past .*TTL \(72 h"):
            run(spark, etl(window=WINDOW, backfill={"ttlHours": 72, "dedup": "none"}))
        self.assertEqual(spark.writes, [])

    def test_a_backfill_of_hours_clickhouse_no_longer_fully_holds_is_refused(self):
        from datetime import datetime

        from dataplane_job.errors import DataSafetyRefusal

        spark = FakeSpark().respond(r"min\(`event_ts`\) AS oldest", [{"oldest": datetime(2026, 8, 1, 1, 30)}])
        spark.respond(r"count\(\*\) AS n FROM polaris\.trading\.silver_trades", [{"hour": datetime(2026, 8, 1, 0), "n": 5}])
        with self.assertRaisesRegex(DataSafetyRefusal, r"no longer fully holds the hours 2026-08-01T00:00Z \(its oldest retained row is 2026-08-01 01:30:00"):
            run(spark, etl(window=WINDOW, backfill={"ttlHours": 480, "dedup": "none"}))
        self.assertEqual(spark.writes, [])

    def test_window_bounds_must_be_whole_hours(self):
        with self.assertRaisesRegex(StepError, "window bounds are not whole hours"):
            run(FakeSpark(), etl(window={**WINDOW, "to": "2026-08-01T03:30:00Z"}))

    def test_window_must_be_ordered_and_zoned(self):
        with self.assertRaisesRegex(StepError, "is not before window.to"):
            run(FakeSpark(), etl(window={**WINDOW, "to": WINDOW["from"]}))
        with self.assertRaisesRegex(StepError, "is not an ISO-8601 instant with a time zone"):
            run(FakeSpark(), etl(window={**WINDOW, "from": "2026-08-01T00:00:00"}))


if __name__ == "__main__":
    unittest.main()
