"""Exactly once, for real: the tier-1 writer against ClickHouse's engine (chdb) and a real Iceberg catalog.

Every scenario ends by comparing the Iceberg table with the ClickHouse table row by row: each source row present once.
"""

import os
import threading
import time
import unittest
from collections import Counter
from datetime import UTC, datetime, timedelta

from pyiceberg.table.snapshots import ancestors_of

from dataplane_job.errors import REFUSAL_EXIT_CODE, DataSafetyRefusal
from dataplane_job.offload import cli
from dataplane_job.offload.writer import backfill_table, offload_table, run_offloads
from dataplane_job.watermark import WATERMARK_PROPERTY, WINDOW_START_PROPERTY
from tests.offload_plane import ChdbSource, IcebergPlane, at, offload_plan, step

RAW = "trading.raw_trades"


class OffloadCase(unittest.TestCase):
    engine = "MergeTree ORDER BY id"
    column_type = "DateTime64(3, 'UTC')"

    def setUp(self):
        self.ch = ChdbSource.shared()
        self.plane = IcebergPlane()
        self.ch.execute("CREATE DATABASE trading")
        self.create_source("raw_trades")
        self.spec = step("clickhouse.trading.raw_trades", f"polaris.{self.plane.namespace}.raw_trades")

    def tearDown(self):
        self.ch.execute("DROP DATABASE IF EXISTS trading SYNC")
        self.plane.close()

    def create_source(self, name, engine=None, column_type=None):
        self.ch.execute(
            f"CREATE TABLE trading.{name} (id String, event_ts {column_type or self.column_type}, price Float64, "
            f"version UInt32) ENGINE = {engine or self.engine}"
        )

    def insert(self, *rows, table="raw_trades"):
        values = ", ".join(f"('{i}', toDateTime64('{ts}', 6, 'UTC'), 1.5, {v})" for i, ts, v in rows)
        self.ch.execute(f"INSERT INTO trading.{table} (id, event_ts, price, version) VALUES {values}")

    def run_at(self, when, spec=None):
        return offload_table(self.ch, self.plane.catalog, spec or self.spec, at(when), f"test@{when}")

    def iceberg(self, spec=None):
        target = (spec or self.spec)["target"].split(".")
        return self.plane.catalog.load_table((target[1], target[2]))

    def ids(self, spec=None):
        return Counter(self.iceberg(spec).scan().to_arrow().column("id").to_pylist())

    def assert_exactly_once(self, expected, spec=None):
        self.assertEqual(self.ids(spec), Counter(expected))
        self.assertTrue(all(n == 1 for n in self.ids(spec).values()))

    def snapshots(self, spec=None):
        table = self.iceberg(spec)
        return list(reversed(list(ancestors_of(table.current_snapshot(), table.metadata))))


class ExactlyOnceTest(OffloadCase):
    def setUp(self):
        super().setUp()
        self.insert(
            ("a", "2026-11-21 06:10:00", 1), ("b", "2026-11-21 07:59:59.999999", 1), ("c", "2026-11-21 08:00:00", 1),
            ("d", "2026-11-21 08:30:00", 1),
            ("open", "2026-11-21 09:15:00", 1),  # hour 09 closes at 10:00 and is lagged to the 11:05 run
        )

    def test_first_run_creates_the_table_partitioned_by_hours_with_metadata_cleanup(self):
        result = self.run_at("2026-11-21 10:05")
        self.assertTrue(result.created)
        table = self.iceberg()
        self.assertEqual([(f.name, str(f.transform)) for f in table.spec().fields], [("event_ts_hour", "hour")])
        self.assertEqual(table.properties["write.metadata.delete-after-commit.enabled"], "true")
        self.assertEqual(table.properties["write.metadata.previous-versions-max"], "48")
        self.assertEqual(result.hours, [f"2026-11-21T{h:02d}:00:00Z" for h in range(3, 9)])
        self.assert_exactly_once("abcd")
        self.assertEqual(table.current_snapshot().summary[WATERMARK_PROPERTY], "2026-11-21T09:00:00Z")

    def test_a_run_commits_all_its_hours_in_one_snapshot(self):
        self.run_at("2026-11-21 10:05")  # six hours
        self.assertEqual(len(self.snapshots()), 1)
        self.run_at("2026-11-21 11:05")  # two hours: 08 again for lateness, 09 new
        self.assertEqual(len(self.snapshots()), 2)
        self.assertEqual(self.snapshots()[-1].summary[WINDOW_START_PROPERTY], "2026-11-21T08:00:00Z")

    def test_repeated_runs_and_retries_write_each_row_once(self):
        for when in ["2026-11-21 10:05", "2026-11-21 10:05", "2026-11-21 10:50", "2026-11-21 11:05", "2026-11-21 12:06"]:
            self.run_at(when)
        self.assert_exactly_once(["a", "b", "c", "d", "open"])

    def test_a_crash_after_the_commit_is_a_rerun_of_the_same_hours(self):
        self.run_at("2026-11-21 10:05")  # committed; the pod dies before exiting 0 and the Job retries it
        retry = self.run_at("2026-11-21 10:07")
        self.assertEqual(retry.hours[-1], "2026-11-21T08:00:00Z")
        self.assert_exactly_once("abcd")

    def test_a_crash_before_the_commit_leaves_nothing_and_the_retry_writes_everything(self):
        self.run_at("2026-11-21 10:05")
        self.insert(("e", "2026-11-21 09:40:00", 1))
        real = self.ch.query_arrow
        calls = []

        def dies_on_the_second_hour(sql):
            if "SELECT `id`" in sql:
                calls.append(sql)
                if len(calls) == 2:
                    raise ConnectionResetError("ClickHouse went away")
            return real(sql)

        self.ch.query_arrow = dies_on_the_second_hour
        with self.assertRaises(ConnectionResetError):
            self.run_at("2026-11-21 11:05")
        self.ch.query_arrow = real
        self.assertEqual(len(self.snapshots()), 1)
        self.run_at("2026-11-21 11:05")
        self.assert_exactly_once(["a", "b", "c", "d", "open", "e"])

    def test_an_outage_is_caught_up_in_bounded_runs_without_losing_an_hour(self):
        self.run_at("2026-11-21 10:05")
        self.insert(*[(f"h{h}", f"2026-11-21 {h:02d}:20:00", 1) for h in range(10, 16)])
        spec = dict(self.spec, maxCatchUpHours=3)
        first = offload_table(self.ch, self.plane.catalog, spec, at("2026-11-21 15:05"), "late")  # 11..14 missed
        self.assertEqual(first.hours[-1], "2026-11-21T11:00:00Z")  # 09, 10, 11 caught up
        self.assertEqual(first.behind_hours, 2)
        second = offload_table(self.ch, self.plane.catalog, spec, at("2026-11-21 16:05"), "next")
        self.assertEqual(second.hours[-1], "2026-11-21T14:00:00Z")
        self.assertEqual(second.behind_hours, 0)
        self.assert_exactly_once(["a", "b", "c", "d", "open"] + [f"h{h}" for h in range(10, 15)])

    def test_an_empty_hour_is_committed_and_clears_rows_removed_upstream(self):
        self.run_at("2026-11-21 10:05")
        self.ch.execute("DELETE FROM trading.raw_trades WHERE id = 'd'")  # corrected inside the lateness window
        result = self.run_at("2026-11-21 11:05")
        self.assertIn("2026-11-21T09:00:00Z", result.hours)
        self.assert_exactly_once(["a", "b", "c", "open"])

    def test_a_late_row_within_the_allowed_lateness_lands_once(self):
        self.run_at("2026-11-21 10:05")
        self.insert(("late", "2026-11-21 08:45:00", 1))  # after hour 08 was first written
        for when in ["2026-11-21 11:05", "2026-11-21 12:05", "2026-11-21 13:05"]:
            self.run_at(when)
        self.assert_exactly_once(["a", "b", "c", "d", "open", "late"])

    def test_rows_on_the_hour_boundary_belong_to_the_hour_they_start(self):
        self.insert(("edge", "2026-11-21 09:00:00", 1), ("last", "2026-11-21 09:59:59.999999", 1))
        first = self.run_at("2026-11-21 10:05")
        self.assertNotIn("2026-11-21T09:00:00Z", first.hours)
        self.assertNotIn("edge", self.ids())
        self.run_at("2026-11-21 11:05")
        self.assert_exactly_once(["a", "b", "c", "d", "open", "edge", "last"])

    def test_the_clock_going_back_rewrites_held_hours_and_keeps_the_watermark(self):
        self.run_at("2026-11-21 12:05")
        back = self.run_at("2026-11-21 10:05")
        self.assertEqual(back.watermark, "2026-11-21T11:00:00Z")
        self.assert_exactly_once(["a", "b", "c", "d", "open"])

    def test_lateness_zero_and_a_forward_clock_jump_lose_no_hour(self):
        spec = dict(self.spec, allowedLatenessHours=0, maxCatchUpHours=6)
        offload_table(self.ch, self.plane.catalog, spec, at("2026-11-21 08:05"), "before")
        self.insert(("jump", "2026-11-21 10:30:00", 1))
        jumped = offload_table(self.ch, self.plane.catalog, spec, at("2026-11-21 12:05"), "after")  # 09..10 missed
        self.assertEqual(jumped.hours, ["2026-11-21T07:00:00Z", "2026-11-21T08:00:00Z", "2026-11-21T09:00:00Z", "2026-11-21T10:00:00Z"])
        self.assert_exactly_once(["a", "b", "c", "d", "open", "jump"], spec)

    def test_compaction_and_snapshot_expiry_between_runs_keep_the_watermark(self):
        self.run_at("2026-11-21 10:05")
        table = self.iceberg()
        # Compaction as Spark's rewrite_data_files commits it: the same rows in new files, no offload properties.
        rows = table.scan().to_arrow()
        with table.transaction() as tx, tx.update_snapshot().overwrite() as rewrite:
            for task in table.scan().plan_files():
                rewrite.delete_data_file(task.file)
            from pyiceberg.io.pyarrow import _dataframe_to_data_files

            for data_file in _dataframe_to_data_files(tx.table_metadata, rows, table.io):
                rewrite.append_data_file(data_file)
        table = self.iceberg()
        table.maintenance.expire_snapshots().older_than(datetime.now(UTC) + timedelta(seconds=1)).commit()
        self.assertEqual(len(self.iceberg().metadata.snapshots), 1)  # only the compaction's snapshot is left
        result = self.run_at("2026-11-21 11:05")
        self.assertEqual(result.hours[0], "2026-11-21T08:00:00Z")  # from the watermark, not a first run's 04:00
        self.assert_exactly_once(["a", "b", "c", "d", "open"])

    def test_two_runs_at_once_leave_every_row_once(self):
        self.run_at("2026-11-21 10:05")
        real = self.ch.query_arrow
        state = {"inner": False}

        def second_run_commits_first(sql):
            if "SELECT `id`" in sql and not state["inner"]:
                state["inner"] = True
                offload_table(ChdbView(real), self.plane.catalog, self.spec, at("2026-11-21 11:05"), "other")
            return real(sql)

        self.ch.query_arrow = second_run_commits_first
        outcome = None
        try:
            self.run_at("2026-11-21 11:05")
        except Exception as error:  # the loser's commit is refused by the conflict check; its retry redoes the hours
            outcome = error
        self.ch.query_arrow = real
        if outcome is not None:
            self.assertRegex(type(outcome).__name__, "ValidationException|CommitFailedException")
            self.run_at("2026-11-21 11:06")
        self.assert_exactly_once(["a", "b", "c", "d", "open"])

    def test_a_backfill_overlapping_a_scheduled_run_leaves_every_row_once(self):
        self.run_at("2026-11-21 10:05")
        self.insert(("x", "2026-11-21 09:10:00", 1))
        done = []
        thread = threading.Thread(
            target=lambda: done.append(
                _quietly(lambda: backfill_table(ChdbSource.__new__(ChdbView).bind(self.ch), self.plane.catalog, self.spec,
                                                at("2026-11-21 05:00"), at("2026-11-21 10:00"), at("2026-11-21 11:03"), "backfill"))
            )
        )
        thread.start()
        scheduled = _quietly(lambda: self.run_at("2026-11-21 11:05"))
        thread.join()
        for outcome in (scheduled, *done):  # whichever lost the commit race is retried, as its Job would
            if isinstance(outcome, Exception):
                self.run_at("2026-11-21 11:07")
        self.assert_exactly_once(["a", "b", "c", "d", "open", "x"])

    def test_the_group_runner_reports_each_table_and_keeps_going(self):
        missing = step("clickhouse.trading.nope", f"polaris.{self.plane.namespace}.nope")
        results = run_offloads(self.ch, self.plane.catalog, offload_plan(missing, self.spec), at("2026-11-21 10:05"), log=lambda _: None)
        self.assertRegex(results[0].error, r"^step 1 \(offload polaris\.\w+\.nope\): clickhouse\.trading\.nope: ClickHouse has no such table")
        self.assertIsNone(results[1].error)
        self.assert_exactly_once("abcd")


class ChdbView:
    """The same chdb session behind a second client object (a second run's connection)."""

    def __init__(self, query=None):
        self._query = query

    def bind(self, source):
        self._query = source.query_arrow
        return self

    def query_arrow(self, sql):
        return self._query(sql)


def _quietly(fn):
    try:
        return fn()
    except Exception as error:  # returned for the caller to inspect
        return error


class GuardTest(OffloadCase):
    def test_a_stale_watermark_is_refused_and_the_named_backfill_resumes_the_hourly_runs(self):
        self.insert(("a", "2026-11-21 06:10:00", 1))
        self.run_at("2026-11-21 10:05")
        self.insert(*[(f"h{h}", f"2026-11-21 {h:02d}:20:00", 1) for h in range(9, 20)])
        with self.assertRaisesRegex(DataSafetyRefusal, r"watermark 2026-11-21T09:00:00Z is older than the outage tolerance .*npm run backfill -- --env <env> --table \w+\.raw_trades --from 2026-11-21T09:00:00Z --to 2026-11-21T19:00:00Z"):
            self.run_at("2026-11-21 20:05")
        backfill_table(self.ch, self.plane.catalog, self.spec, at("2026-11-21 09:00"), at("2026-11-21 19:00"), at("2026-11-21 20:10"), "backfill")
        resumed = self.run_at("2026-11-21 20:15")
        self.assertEqual(resumed.hours, ["2026-11-21T17:00:00Z", "2026-11-21T18:00:00Z"])
        self.assert_exactly_once(["a"] + [f"h{h}" for h in range(9, 19)])

    def test_a_table_with_rows_but_no_watermark_is_refused_not_treated_as_new(self):
        self.insert(("a", "2026-11-21 06:10:00", 1))
        self.run_at("2026-11-21 10:05")
        table = self.iceberg()
        fresh = self.plane.catalog.create_table((self.plane.namespace, "foreign"), schema=table.schema(), partition_spec=table.spec())
        fresh.append(table.scan().to_arrow())  # rows written by someone else: no watermark
        spec = dict(self.spec, target=f"polaris.{self.plane.namespace}.foreign")
        with self.assertRaisesRegex(DataSafetyRefusal, r"holds 1 rows but no offload watermark"):
            self.run_at("2026-11-21 10:05", spec)

    def test_an_existing_table_must_be_partitioned_by_hours_of_the_event_column(self):
        from pyiceberg.transforms import DayTransform

        self.insert(("a", "2026-11-21 06:10:00", 1))
        self.run_at("2026-11-21 10:05")
        schema = self.iceberg().schema()
        daily = self.plane.catalog.create_table((self.plane.namespace, "daily"), schema=schema)
        with daily.update_spec() as spec:
            spec.add_field("event_ts", DayTransform(), "event_ts_day")
        with self.assertRaisesRegex(DataSafetyRefusal, r"without hours\(event_ts\)"):
            self.run_at("2026-11-21 10:05", dict(self.spec, target=f"polaris.{self.plane.namespace}.daily"))

    def test_hours_past_the_ttl_are_refused_at_run_time(self):
        self.insert(("a", "2026-11-21 06:10:00", 1))
        self.run_at("2026-11-21 10:05")
        spec = dict(self.spec, ttlHours=6)
        with self.assertRaisesRegex(DataSafetyRefusal, r"hours 2026-11-21T03:00:00Z to 2026-11-21T05:00:00Z are past the source's TTL"):
            backfill_table(self.ch, self.plane.catalog, spec, at("2026-11-21 03:00"), at("2026-11-21 09:00"), at("2026-11-21 10:30"), "b")

    def test_hours_clickhouse_no_longer_fully_holds_are_refused_naming_them(self):
        self.insert(("a", "2026-11-21 06:10:00", 1), ("b", "2026-11-21 07:10:00", 1), ("c", "2026-11-21 08:10:00", 1))
        self.run_at("2026-11-21 10:05")
        self.ch.execute("DELETE FROM trading.raw_trades WHERE id IN ('a', 'b')")  # trimmed by a TTL shorter than declared
        with self.assertRaisesRegex(DataSafetyRefusal, r"no longer fully holds the hours 2026-11-21T06:00:00Z, 2026-11-21T07:00:00Z \(its oldest retained row is 2026-11-21T08:10:00Z"):
            backfill_table(self.ch, self.plane.catalog, self.spec, at("2026-11-21 05:00"), at("2026-11-21 09:00"), at("2026-11-21 10:30"), "b")
        self.assert_exactly_once("abc")

    def test_a_new_tables_first_hour_is_not_mistaken_for_a_trimmed_one(self):
        self.insert(("first", "2026-11-21 08:30:00", 1))
        self.run_at("2026-11-21 10:05")
        self.run_at("2026-11-21 11:05")  # hour 08 again, for lateness: ClickHouse holds as many rows as Iceberg
        self.assert_exactly_once(["first"])


class MergingEngineTest(OffloadCase):
    engine = "ReplacingMergeTree(version) ORDER BY id"
    column_type = "DateTime64(3, 'Europe/Berlin')"

    def setUp(self):
        super().setUp()
        self.ch.execute("SYSTEM STOP MERGES trading.raw_trades")  # two parts stay unmerged
        self.insert(("a", "2026-11-21 08:10:00", 1))
        self.insert(("a", "2026-11-21 08:10:00", 2), ("b", "2026-11-21 08:20:00", 1))

    def test_a_merging_engine_read_without_dedup_is_refused(self):
        with self.assertRaisesRegex(DataSafetyRefusal, r"engine ReplacingMergeTree merges rows .* declare `dedup: final`"):
            self.run_at("2026-11-21 10:05")

    def test_final_reads_one_row_per_key_from_unmerged_parts(self):
        self.assertEqual(self.ch.query_arrow("SELECT count() AS n FROM trading.raw_trades").to_pylist(), [{"n": 3}])
        spec = dict(self.spec, dedup="final")
        self.run_at("2026-11-21 10:05", spec)
        self.assert_exactly_once("ab", spec)
        rows = {r["id"]: r for r in self.iceberg(spec).scan().to_arrow().to_pylist()}
        self.assertEqual(rows["a"]["version"], 2)
        self.assertEqual(rows["a"]["event_ts"].astimezone(UTC), at("2026-11-21 08:10"))


class TimeZoneTest(OffloadCase):
    """Hour bounds are UTC whatever the process's (and so the in-process server's) time zone and the column's."""

    column_type = "DateTime64(3, 'Asia/Kolkata')"  # +05:30: local hours do not even start on UTC hours

    def setUp(self):
        self.saved_tz = os.environ.get("TZ")
        os.environ["TZ"] = "America/St_Johns"  # -03:30
        time.tzset()
        super().setUp()

    def tearDown(self):
        super().tearDown()
        if self.saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = self.saved_tz
        time.tzset()

    def test_hours_are_cut_on_utc_bounds(self):
        self.insert(("before", "2026-11-21 07:59:59.999", 1), ("start", "2026-11-21 08:00:00", 1), ("end", "2026-11-21 08:59:59", 1), ("next", "2026-11-21 09:00:00", 1))
        result = self.run_at("2026-11-21 10:05")
        self.assertEqual(result.hours[-1], "2026-11-21T08:00:00Z")
        table = self.iceberg()
        by_hour = Counter(r["event_ts"].astimezone(UTC).hour for r in table.scan().to_arrow().to_pylist())
        self.assertEqual(by_hour, Counter({7: 1, 8: 2}))
        self.assertEqual(str(table.schema().find_field("event_ts").field_type), "timestamptz")


class CommandLineTest(OffloadCase):
    def main(self, *steps, when="2026-11-21 10:05"):
        import json
        import tempfile

        errors = []
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(offload_plan(*steps), handle)
        import contextlib
        import io

        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code = cli.main([handle.name], connect_to=lambda plan, env: (self.ch, self.plane.catalog), now=lambda: at(when), log=lambda _: None)
        os.unlink(handle.name)
        errors = [line for line in stderr.getvalue().splitlines() if line]
        return code, errors

    def test_success_exits_zero(self):
        self.assertEqual(self.main(self.spec), (0, []))

    def test_a_refusal_exits_with_the_refusal_code_and_one_error_line_naming_the_step(self):
        self.insert(("a", "2026-11-21 06:10:00", 1))
        self.main(self.spec)
        code, errors = self.main(self.spec, when="2026-11-22 10:05")
        self.assertEqual(code, REFUSAL_EXIT_CODE)
        self.assertEqual(len(errors), 1)
        self.assertRegex(errors[0], r"^error: refused for data safety: step 1 \(offload polaris\.\w+\.raw_trades\): .*watermark")

    def test_a_transient_failure_exits_one_so_the_job_retries(self):
        missing = step("clickhouse.trading.nope", f"polaris.{self.plane.namespace}.nope")
        code, errors = self.main(missing, self.spec)
        self.assertEqual(code, 1)
        self.assertEqual([e.split(":")[0:2] for e in errors], [["error", f" step 1 (offload polaris.{self.plane.namespace}.nope)"]])

    def test_a_plan_missing_a_key_exits_two_before_anything_runs(self):
        spec = {k: v for k, v in self.spec.items() if k != "dedup"}
        code, errors = self.main(spec)
        self.assertEqual(code, 2)
        self.assertRegex(errors[0], r"^error: invalid plan:")
        self.assertIn("steps[0] (offload) lacks dedup", "\n".join(errors))
        self.assertEqual(self.plane.catalog.list_tables(self.plane.namespace) if self.plane.namespace in [n[0] for n in self.plane.catalog.list_namespaces()] else [], [])


if __name__ == "__main__":
    unittest.main()
