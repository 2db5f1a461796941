import unittest
from datetime import datetime

from dataplane_job.errors import StepError

from .fake_spark import FakeSpark
from .helpers import NOW, run

H1, H2 = datetime(2026, 8, 19, 10), datetime(2026, 8, 19, 11)
WINDOW = "`event_ts` >= TIMESTAMP '2026-08-13 02:00:00' AND `event_ts` < TIMESTAMP '2026-08-19 23:00:00'"


def audit(raw_lookback=168):
    return {
        "type": "audit-counts", "eventTimeColumn": "event_ts", "resultTable": "polaris.trading.offload_audit",
        "layers": [
            {"layer": "raw_trades", "warm": "clickhouse.trading.raw_trades", "cold": "polaris.trading.raw_trades",
             "lookbackHours": raw_lookback, "skipRecentHours": 3},
            {"layer": "gold_ohlcv_1m", "warm": "clickhouse.trading.gold_ohlcv_1m", "cold": "polaris.trading.gold_ohlcv_1m",
             "lookbackHours": 70, "skipRecentHours": 25},
        ],
    }


def counts(spark, table, rows):
    spark.respond(rf"FROM {table} WHERE", [{"hour": hour, "n": n} for hour, n in rows])


class AuditStepTest(unittest.TestCase):
    def test_matching_counts_are_recorded_and_pass_with_a_window_per_layer(self):
        spark = FakeSpark()
        for prefix in ("clickhouse", "polaris"):
            counts(spark, rf"{prefix}\.trading\.raw_trades", [(H1, 100), (H2, 50)])
            counts(spark, rf"{prefix}\.trading\.gold_ohlcv_1m", [(H1, 60)])
        [result] = run(spark, audit(), clickhouse=True)
        self.assertIn(
            f"SELECT date_trunc('HOUR', `event_ts`) AS hour, count(*) AS n FROM clickhouse.trading.raw_trades WHERE {WINDOW} GROUP BY date_trunc('HOUR', `event_ts`)",
            spark.statements,
        )
        gold_window = "`event_ts` >= TIMESTAMP '2026-08-17 04:00:00' AND `event_ts` < TIMESTAMP '2026-08-19 01:00:00'"
        self.assertIn(
            f"SELECT date_trunc('HOUR', `event_ts`) AS hour, count(*) AS n FROM polaris.trading.gold_ohlcv_1m WHERE {gold_window} GROUP BY date_trunc('HOUR', `event_ts`)",
            spark.statements,
        )
        [write] = spark.writes
        self.assertEqual((write.table, write.mode), ("polaris.trading.offload_audit", "append"))
        self.assertEqual(
            [(r["layer"], r["hour"], r["warm_rows"], r["cold_rows"], r["matches"]) for r in write.rows],
            [("raw_trades", H1, 100, 100, True), ("raw_trades", H2, 50, 50, True), ("gold_ohlcv_1m", H1, 60, 60, True)],
        )
        self.assertEqual(write.rows[0]["audited_at"], NOW)
        self.assertEqual(result["compared"], 3)

    def test_a_layer_read_with_final_is_counted_with_final_and_the_setting_is_cleared(self):
        spark = FakeSpark()
        for prefix in ("clickhouse", "polaris"):
            counts(spark, rf"{prefix}\.trading\.raw_trades", [(H1, 100)])
            counts(spark, rf"{prefix}\.trading\.gold_ohlcv_1m", [(H1, 60)])
        spec = audit()
        spec["layers"][0]["warmFinal"] = True
        run(spark, spec, clickhouse=True)
        settings = [change for change in spark.conf.changes if change[0] == "spark.clickhouse.read.settings"]
        self.assertEqual(settings, [("spark.clickhouse.read.settings", "final=1"), ("spark.clickhouse.read.settings", None)])

    def test_a_mismatch_is_recorded_then_fails_the_run(self):
        spark = FakeSpark()
        counts(spark, r"clickhouse\.trading\.raw_trades", [(H1, 100), (H2, 50)])
        counts(spark, r"polaris\.trading\.raw_trades", [(H1, 99)])
        with self.assertRaisesRegex(StepError, r"2 layer-hours differ .*raw_trades 2026-08-19 10:00: ClickHouse 100, Iceberg 99; raw_trades 2026-08-19 11:00: ClickHouse 50, Iceberg 0"):
            run(spark, audit(), clickhouse=True)
        [write] = spark.writes
        self.assertEqual([(r["warm_rows"], r["cold_rows"], r["matches"]) for r in write.rows], [(100, 99, False), (50, 0, False)])

    def test_the_result_table_is_created_when_missing(self):
        spark = FakeSpark()
        run(spark, audit(), clickhouse=True)
        self.assertIn(
            "CREATE TABLE IF NOT EXISTS polaris.trading.offload_audit (audited_at TIMESTAMP, job STRING, layer STRING, hour TIMESTAMP, "
            "warm_rows BIGINT, cold_rows BIGINT, matches BOOLEAN) USING iceberg PARTITIONED BY (days(audited_at))",
            spark.statements,
        )

    def test_lookback_must_exceed_the_skipped_hours(self):
        with self.assertRaisesRegex(StepError, "raw_trades: lookbackHours 3 is not more than skipRecentHours 3"):
            run(FakeSpark(), audit(raw_lookback=3), clickhouse=True)


if __name__ == "__main__":
    unittest.main()
