"""Exactly-once behaviour of the offload step against a fake lakehouse with snapshots."""
import unittest
from collections import Counter

from dataplane_job.registry import handler_for
from dataplane_job.runner import run_plan
from dataplane_job.steps.offload import WATERMARK_PROPERTY, WINDOW_START_PROPERTY, OffloadError, offload_step, run_offload
from tests.fake_lakehouse import Crash, IcebergTable, Lakehouse, ValidationException, at, fake_expr
from tests.fake_spark import FakeConf
from tests.helpers import ENV, plan

SOURCE = "clickhouse.trading.raw_trades"
TARGET = "polaris.trading.raw_trades"


def step(source=SOURCE, target=TARGET):
    return {"type": "offload", "source": source, "target": target, "eventTimeColumn": "event_ts", "lagHours": 1,
            "allowedLatenessHours": 2, "outageToleranceHours": 6}


def row(row_id, ts):
    return {"id": row_id, "event_ts": at(ts), "price": 1.0}


class OffloadTest(unittest.TestCase):
    def setUp(self):
        self.lake = Lakehouse(at("2026-11-21 10:05"))
        self.source = self.lake.source(SOURCE)
        self.table = self.lake.iceberg(TARGET)
        self.source.insert(
            row("a", "2026-11-21 06:10"), row("b", "2026-11-21 07:59"), row("c", "2026-11-21 08:00"), row("d", "2026-11-21 08:30"),
            row("open", "2026-11-21 09:15"),  # the lagged window [09:00, 10:00) is not closed before 11:00
        )

    def run_at(self, when, spec=None):
        self.lake.clock.now = at(when)
        return run_offload(self.lake.session(), spec or step(), clock=self.lake.clock, expr=fake_expr)

    def assert_exactly_once(self, ids):
        self.assertEqual(Counter(r["id"] for r in self.table.rows()), Counter(ids))

    def test_first_run_writes_closed_lagged_hours_from_the_outage_tolerance(self):
        written = self.run_at("2026-11-21 10:05")
        self.assertEqual(written, [f"2026-11-21T{h:02d}:00:00Z" for h in range(3, 9)])
        self.assert_exactly_once(["a", "b", "c", "d"])
        self.assertEqual(self.table.current.summary[WATERMARK_PROPERTY], "2026-11-21T09:00:00Z")

    def test_repeated_runs_write_each_row_once(self):
        for when in ["2026-11-21 10:05", "2026-11-21 10:05", "2026-11-21 11:05", "2026-11-21 12:05", "2026-11-21 12:06"]:
            self.run_at(when)
        self.assert_exactly_once(["a", "b", "c", "d", "open"])

    def test_retry_of_the_same_hour_rewrites_instead_of_appending(self):
        self.run_at("2026-11-21 10:05")
        commits = len(self.table.snapshots)
        written = self.run_at("2026-11-21 10:50")  # the operator's retry, same floored hour
        self.assertEqual(written, ["2026-11-21T07:00:00Z", "2026-11-21T08:00:00Z"])
        self.assertEqual(len(self.table.snapshots), commits + 2)
        self.assert_exactly_once(["a", "b", "c", "d"])

    def test_crash_between_two_hours_resumes_from_the_committed_watermark(self):
        self.lake.crash_before_commit(5)  # hours 03..06 committed, 07 lost with the driver
        with self.assertRaises(Crash):
            self.run_at("2026-11-21 10:05")
        self.assertEqual(self.table.current.summary[WATERMARK_PROPERTY], "2026-11-21T07:00:00Z")
        self.assert_exactly_once(["a"])
        written = self.run_at("2026-11-21 10:07")
        self.assertEqual(written, ["2026-11-21T07:00:00Z", "2026-11-21T08:00:00Z"])
        self.assert_exactly_once(["a", "b", "c", "d"])

    def test_late_run_after_an_outage_catches_up_missed_hours_in_order(self):
        self.run_at("2026-11-21 10:05")
        self.source.insert(row("e", "2026-11-21 10:20"), row("f", "2026-11-21 12:59"))
        written = self.run_at("2026-11-21 14:40")  # runs at 11:05, 12:05, 13:05 and 14:05 were missed
        self.assertEqual(written, [f"2026-11-21T{h:02d}:00:00Z" for h in (9, 10, 11, 12)])
        self.assertEqual(
            [s.summary.get(WINDOW_START_PROPERTY) for s in self.table.snapshots[-4:]],
            [f"2026-11-21T{h:02d}:00:00Z" for h in (9, 10, 11, 12)],
        )
        self.assert_exactly_once(["a", "b", "c", "d", "open", "e", "f"])

    def test_an_empty_hour_is_committed_and_clears_rows_removed_upstream(self):
        self.run_at("2026-11-21 10:05")
        self.source.delete("d")  # corrected upstream while hour 08 is still inside the lateness window
        self.run_at("2026-11-21 11:05")
        self.assert_exactly_once(["a", "b", "c", "open"])
        hour_nine = [s for s in self.table.snapshots if s.summary.get(WINDOW_START_PROPERTY) == "2026-11-21T09:00:00Z"]
        self.source.delete("open")
        self.run_at("2026-11-21 12:05")
        self.assertEqual(len(hour_nine), 1)
        self.assert_exactly_once(["a", "b", "c"])

    def test_late_row_within_allowed_lateness_lands_exactly_once(self):
        self.run_at("2026-11-21 10:05")
        self.lake.clock.now = at("2026-11-21 10:30")
        self.source.insert(row("late", "2026-11-21 08:45"))  # 1.5 h after its hour closed; lateness is 2 h
        for when in ["2026-11-21 11:05", "2026-11-21 12:05", "2026-11-21 13:05"]:
            self.run_at(when)
        self.assert_exactly_once(["a", "b", "c", "d", "open", "late"])

    def test_row_later_than_allowed_lateness_is_left_to_the_audit(self):
        self.run_at("2026-11-21 11:05")
        self.source.insert(row("too-late", "2026-11-21 07:30"))  # hour 07 left the lateness window at this run
        self.run_at("2026-11-21 12:05")
        self.assert_exactly_once(["a", "b", "c", "d", "open"])

    def test_maintenance_snapshots_do_not_hide_the_watermark(self):
        self.run_at("2026-11-21 10:05")
        self.table.compact()
        written = self.run_at("2026-11-21 11:05")
        self.assertEqual(written, ["2026-11-21T08:00:00Z", "2026-11-21T09:00:00Z"])

    def test_rolled_back_snapshots_do_not_count_as_offloaded(self):
        self.run_at("2026-11-21 10:05")
        self.table.rollback_to(2)  # back to the state after hour 04; later snapshots are no longer ancestors
        written = self.run_at("2026-11-21 10:10")
        self.assertEqual(written, [f"2026-11-21T{h:02d}:00:00Z" for h in (5, 6, 7, 8)])
        self.assert_exactly_once(["a", "b", "c", "d"])

    def test_outage_longer_than_the_tolerance_stops_without_committing(self):
        self.run_at("2026-11-21 10:05")
        commits = len(self.table.snapshots)
        with self.assertRaisesRegex(OffloadError, "older than the outage tolerance"):
            self.run_at("2026-11-21 17:05")
        self.assertEqual(len(self.table.snapshots), commits)

    def test_target_not_partitioned_by_hours_fails_the_overwrite_once_files_span_hours(self):
        self.table = self.lake.tables[TARGET] = IcebergTable(TARGET, self.lake, transform="days")
        self.run_at("2026-11-21 10:05")
        self.table.compact()  # one file per day now holds rows of several hours
        commits = len(self.table.snapshots)
        with self.assertRaisesRegex(ValidationException, "some, but not all, rows match"):
            self.run_at("2026-11-21 11:05")
        self.assertEqual(len(self.table.snapshots), commits)


class PlanTest(unittest.TestCase):
    def test_offload_is_registered_under_its_plan_step_type(self):
        self.assertIs(handler_for("offload").run, offload_step)

    def test_the_entry_point_runs_offload_steps_in_plan_order(self):
        lake = Lakehouse(at("2026-11-21 10:05"))
        for name in ("raw_trades", "bronze_trades"):
            lake.source(f"clickhouse.trading.{name}").insert(row(name, "2026-11-21 08:10"))
            lake.iceberg(f"polaris.trading.{name}")
        steps = [dict(step(f"clickhouse.trading.{n}", f"polaris.trading.{n}")) for n in ("raw_trades", "bronze_trades")]
        session = lake.session()
        session.conf = FakeConf()  # the runner sets the catalog credential before the first step
        run_plan(plan(*steps), session, env=ENV, now=lake.clock(), expr=fake_expr, log=lambda line: None)
        self.assertEqual(lake.commit_log, ["polaris.trading.raw_trades"] * 6 + ["polaris.trading.bronze_trades"] * 6)
        self.assertEqual(lake.tables["polaris.trading.bronze_trades"].ids(), ["bronze_trades"])


if __name__ == "__main__":
    unittest.main()
