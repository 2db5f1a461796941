import unittest

from dataplane_job.errors import StepError
from dataplane_job.steps.migrate import partition_transforms

from .fake_spark import FakeSpark
from .helpers import run


def describe(*rows):
    return [{"col_name": a, "data_type": b, "comment": ""} for a, b in rows]


class MigrateStepTest(unittest.TestCase):
    def test_copies_missing_tables_with_their_partitioning_and_skips_existing_ones(self):
        spark = FakeSpark()
        spark.respond(r"SHOW TABLES IN glue\.trading", [{"namespace": "trading", "tableName": "raw_trades"}, {"namespace": "trading", "tableName": "ref_symbols"}])
        spark.respond(r"SHOW TABLES IN polaris\.trading", [{"namespace": "trading", "tableName": "ref_symbols"}])
        spark.respond(r"DESCRIBE TABLE glue\.trading\.raw_trades", describe(("event_ts", "timestamp"), ("", ""), ("# Partitioning", ""), ("Part 0", "hours(event_ts)"), ("Part 1", "bucket(16, symbol)")))
        [result] = run(spark, {"type": "migrate-namespace", "source": "glue.trading", "target": "polaris.trading"})
        self.assertEqual(spark.statements[-1], "CREATE TABLE polaris.trading.raw_trades USING iceberg PARTITIONED BY (hours(event_ts), bucket(16, symbol)) AS SELECT * FROM glue.trading.raw_trades")
        self.assertEqual(result, {"copied": ["raw_trades"], "skipped": ["ref_symbols"]})

    def test_a_table_list_limits_the_copy(self):
        spark = FakeSpark()
        run(spark, {"type": "migrate-namespace", "source": "glue.trading", "target": "polaris.trading", "tables": ["ref_symbols"]})
        self.assertEqual(spark.statements, [
            "SHOW TABLES IN polaris.trading",
            "DESCRIBE TABLE glue.trading.ref_symbols",
            "CREATE TABLE polaris.trading.ref_symbols USING iceberg AS SELECT * FROM glue.trading.ref_symbols",
        ])

    def test_identity_partitions_are_read_from_the_partition_information_section(self):
        rows = describe(("symbol", "string"), ("day", "date"), ("# Partition Information", ""), ("# col_name", "data_type"), ("day", "date"), ("", ""))
        self.assertEqual(partition_transforms(rows), ["`day`"])

    def test_source_and_target_must_differ(self):
        with self.assertRaisesRegex(StepError, "source and target are both polaris.trading"):
            run(FakeSpark(), {"type": "migrate-namespace", "source": "polaris.trading", "target": "polaris.trading"})


if __name__ == "__main__":
    unittest.main()
