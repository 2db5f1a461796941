"""Runs the plans TypeScript rendered (a folder named by DATAPLANE_RENDERED_PLANS) against the fake session, so the
renderer and the runner are held to the same contract. test/jobs/python.test.ts sets the folder; without it the test
is skipped."""

import json
import os
import re
import unittest
from datetime import datetime

from dataplane_job.runner import run_plan

from .fake_spark import FakeSpark
from .helpers import ENV, NOW

PLANS_DIR = os.environ.get("DATAPLANE_RENDERED_PLANS")


#: The oldest row a backfilled ClickHouse table holds: well before any rendered window.
OLDEST_ROW = datetime(2026, 7, 1)


def answer_every_alias(match, text):
    """One row giving 1 to every `AS <alias>` of the query (counts agree, windows are not empty, samples have rows),
    and OLDEST_ROW to a backfill's `oldest`."""
    return [{alias: OLDEST_ROW if alias == "oldest" else 1 for alias in re.findall(r"\bAS (\w+)", text)}]


@unittest.skipUnless(PLANS_DIR, "DATAPLANE_RENDERED_PLANS is not set")
class RenderedPlansTest(unittest.TestCase):
    def test_every_rendered_plan_runs_to_the_end(self):
        files = sorted(f for f in os.listdir(PLANS_DIR) if f.endswith(".json"))
        self.assertTrue(files, f"no plans in {PLANS_DIR}")
        for name in files:
            with self.subTest(plan=name), open(os.path.join(PLANS_DIR, name), encoding="utf-8") as handle:
                plan = json.load(handle)
                if plan["steps"][0]["type"] == "offload":
                    self._offload_plan(plan)
                    continue
                spark = FakeSpark().respond(r"^SELECT ", answer_every_alias)
                spark.schemas = _AnyTable()
                results = run_plan(plan, spark, env=ENV, now=NOW, expr=lambda text: text, log=lambda line: None)
                self.assertEqual(len(results), len(plan["steps"]))
                self.assertEqual(spark.conf.get(f"spark.sql.catalog.{plan['catalog']['name']}.credential"), "tenant-id:tenant-secret")


    def _offload_plan(self, plan):
        """Offload plans run on the tier-1 writer: its plan check and step parsing accept every one."""
        from dataplane_job.offload.cli import validate_offload_plan
        from dataplane_job.offload.hours import OffloadTable

        validate_offload_plan(plan)
        for spec in plan["steps"]:
            OffloadTable.from_plan(spec)
        self.assertEqual(set(plan["catalog"]["rest"]), {"uri", "warehouse", "scope", "realm"})


class _AnyTable(dict):
    """Every table has an event-time and a price column."""

    def get(self, key, default=None):
        return [("event_ts", "timestamp"), ("price", "double")]
