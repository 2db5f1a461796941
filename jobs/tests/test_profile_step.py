import unittest

from .fake_spark import FakeSpark
from .helpers import NOW, run

TABLE = "polaris.trading.silver_trades"


class ProfileStepTest(unittest.TestCase):
    def setUp(self):
        self.spark = FakeSpark()
        self.spark.schemas[TABLE] = [("trade_id", "bigint"), ("price", "decimal(18,8)"), ("tags", "map<string,string>")]
        self.spark.respond(r"SELECT count\(\*\) AS n FROM polaris", [{"n": 1_000_000}])
        self.spark.respond(r"FROM profile_sample", [{"sampled": 10_040, "n0": 10_040, "d0": 10_000, "lo0": "1", "hi0": "999", "n1": 10_000, "d1": 812, "lo1": "0.5", "hi1": "42.0", "n2": 40}])

    def test_samples_about_the_requested_rows_and_records_per_column_statistics(self):
        [result] = run(self.spark, {"type": "profile-table", "table": TABLE, "sampleRows": 10_000, "resultTable": "polaris.trading.profiles"})
        self.assertIn(f"CREATE OR REPLACE TEMPORARY VIEW profile_sample AS SELECT * FROM {TABLE} TABLESAMPLE (1.000000 PERCENT)", self.spark.statements)
        self.assertIn(
            "SELECT count(*) AS sampled, count(`trade_id`) AS n0, approx_count_distinct(`trade_id`) AS d0, CAST(min(`trade_id`) AS STRING) AS lo0, "
            "CAST(max(`trade_id`) AS STRING) AS hi0, count(`price`) AS n1, approx_count_distinct(`price`) AS d1, CAST(min(`price`) AS STRING) AS lo1, "
            "CAST(max(`price`) AS STRING) AS hi1, count(`tags`) AS n2 FROM profile_sample",
            self.spark.statements,
        )
        [write] = self.spark.writes
        self.assertEqual((write.table, write.mode), ("polaris.trading.profiles", "append"))
        self.assertEqual(
            [(r["column_name"], r["null_rows"], r["distinct_values"], r["min_value"], r["max_value"]) for r in write.rows],
            [("trade_id", 0, 10_000, "1", "999"), ("price", 40, 812, "0.5", "42.0"), ("tags", 10_000, None, None, None)],
        )
        self.assertEqual((write.rows[0]["profiled_at"], write.rows[0]["table_rows"], write.rows[0]["sampled_rows"]), (NOW, 1_000_000, 10_040))
        self.assertEqual(result, {"table": TABLE, "columns": 3, "sampled_rows": 10_040, "table_rows": 1_000_000})

    def test_a_table_smaller_than_the_sample_is_read_whole(self):
        self.spark.respond(r"SELECT count\(\*\) AS n FROM polaris", [{"n": 500}])
        run(self.spark, {"type": "profile-table", "table": TABLE, "sampleRows": 10_000, "resultTable": "polaris.trading.profiles"})
        self.assertIn(f"CREATE OR REPLACE TEMPORARY VIEW profile_sample AS SELECT * FROM {TABLE} TABLESAMPLE (100.000000 PERCENT)", self.spark.statements)


if __name__ == "__main__":
    unittest.main()
