import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
import unittest.mock

from dataplane_job.cli import main
from dataplane_job.errors import REFUSAL_EXIT_CODE, DataSafetyRefusal, PlanError, StepError
from dataplane_job.plan import validate_plan
from dataplane_job.registry import registered_types, step

from .fake_spark import FakeSpark
from .helpers import ENV, plan, run

JOBS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class RunPlanTest(unittest.TestCase):
    def test_runs_steps_in_order_against_the_session(self):
        spark = FakeSpark()
        results = run(spark, {"type": "sql", "statements": ["SELECT 1", "SELECT 2"]}, {"type": "sql", "statements": ["SELECT 3"]})
        self.assertEqual(spark.statements, ["SELECT 1", "SELECT 2", "SELECT 3"])
        self.assertEqual(results, [{"statements": 2}, {"statements": 1}])

    def test_catalog_credential_is_built_from_the_environment(self):
        spark = FakeSpark()
        run(spark, {"type": "sql", "statements": ["SELECT 1"]})
        self.assertEqual(spark.conf.get("spark.sql.catalog.polaris.credential"), "tenant-id:tenant-secret")

    def test_clickhouse_catalog_is_registered_with_credentials_from_the_environment(self):
        spark = FakeSpark()
        run(spark, {"type": "sql", "statements": ["SELECT 1"]}, clickhouse=True)
        conf = spark.conf.values
        self.assertEqual(conf["spark.sql.catalog.clickhouse"], "com.clickhouse.spark.ClickHouseCatalog")
        self.assertEqual(conf["spark.sql.catalog.clickhouse.host"], "clickhouse.clickhouse.svc.cluster.local")
        self.assertEqual(conf["spark.sql.catalog.clickhouse.http_port"], "8123")
        self.assertEqual(conf["spark.sql.catalog.clickhouse.database"], "trading")
        self.assertEqual(conf["spark.sql.catalog.clickhouse.user"], "reader")
        self.assertEqual(conf["spark.sql.catalog.clickhouse.password"], "pw")
        self.assertEqual(conf["spark.sql.catalog.clickhouse.option.ssl"], "false")

    def test_missing_credential_variable_stops_before_any_step(self):
        spark = FakeSpark()
        with self.assertRaisesRegex(PlanError, "POLARIS_CLIENT_SECRET is not set"):
            run(spark, {"type": "sql", "statements": ["SELECT 1"]}, env={"POLARIS_CLIENT_ID": "id"})
        self.assertEqual(spark.statements, [])

    def test_a_failing_step_stops_the_run_and_names_the_step(self):
        spark = FakeSpark()
        with self.assertRaisesRegex(StepError, r"step 2 \(remove-orphan-files\): olderThanHours 2 is under 24"):
            run(
                spark,
                {"type": "sql", "statements": ["SELECT 1"]},
                {"type": "remove-orphan-files", "table": "polaris.trading.raw_trades", "olderThanHours": 2, "dryRun": False},
                {"type": "sql", "statements": ["SELECT 3"]},
            )
        self.assertEqual(spark.statements, ["SELECT 1"])


class ValidatePlanTest(unittest.TestCase):
    def test_reports_every_problem_at_once(self):
        bad = plan({"type": "no-such-step"}, {"type": "rewrite-manifests"}, "not-a-step")
        bad["apiVersion"] = "dataplane.io/v0"
        with self.assertRaises(PlanError) as caught:
            validate_plan(bad)
        message = str(caught.exception)
        self.assertIn("apiVersion is 'dataplane.io/v0'; expected 'dataplane.io/v1'", message)
        self.assertIn("steps[0].type is 'no-such-step'; expected one of", message)
        self.assertIn("steps[1] (rewrite-manifests) lacks table", message)
        self.assertIn("steps[2] is not an object", message)

    def test_rejects_a_plan_without_steps(self):
        with self.assertRaisesRegex(PlanError, "steps is not a non-empty list"):
            validate_plan(plan())

    def test_rejects_a_catalog_without_credential_variables(self):
        bad = plan({"type": "sql", "statements": ["SELECT 1"]})
        del bad["catalog"]["credentialEnv"]
        with self.assertRaisesRegex(PlanError, "catalog.credentialEnv is None"):
            validate_plan(bad)

    def test_every_step_type_of_the_contract_is_registered(self):
        # `offload` steps run on the tier-1 writer (dataplane_job.offload), never on Spark.
        self.assertEqual(
            registered_types(),
            ("audit-counts", "etl", "expire-snapshots", "migrate-namespace", "profile-table", "remove-orphan-files",
             "rewrite-data-files", "rewrite-manifests", "sql"),
        )

    def test_a_step_type_cannot_be_registered_twice(self):
        with self.assertRaisesRegex(ValueError, "'sql' is registered twice"):
            step("sql")(lambda ctx, spec: None)


class CliTest(unittest.TestCase):
    def write_plan(self, document):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(document, handle)
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def test_runs_the_plan_file_and_stops_the_session(self):
        spark = FakeSpark()
        path = self.write_plan(plan({"type": "sql", "statements": ["SELECT 42"]}))
        self.assertEqual(main([path], session_factory=lambda name: spark, env=ENV, log=lambda line: None), 0)
        self.assertEqual(spark.statements, ["SELECT 42"])
        self.assertTrue(spark.stopped)

    def test_exit_code_1_when_a_step_fails(self):
        spark = FakeSpark()
        path = self.write_plan(plan({"type": "etl", "source": "bad", "target": "polaris.a.b", "transform": "SELECT 1", "emptySource": "allow"}))
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(main([path], session_factory=lambda name: spark, env=ENV, log=lambda line: None), 1)
        self.assertIn("error: step 1 (etl): table 'bad' is not 3 dot-separated identifiers", stderr.getvalue())
        self.assertTrue(spark.stopped)

    def test_an_exception_from_spark_is_one_error_line_naming_the_step(self):
        class AnalysisException(Exception):
            pass

        def fail(match, text):
            raise AnalysisException("[TABLE_OR_VIEW_NOT_FOUND] polaris.a.missing\n\tat org.apache.spark.sql.Dataset.ofRows")

        spark = FakeSpark().respond("SELECT 7", fail)
        path = self.write_plan(plan({"type": "sql", "statements": ["SELECT 1"]}, {"type": "sql", "statements": ["SELECT 7"]}))
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(main([path], session_factory=lambda name: spark, env=ENV, log=lambda line: None), 1)
        self.assertEqual(stderr.getvalue(), "error: step 2 (sql): AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] polaris.a.missing\n")
        self.assertTrue(spark.stopped)

    def test_a_refusal_for_data_safety_exits_with_its_own_code(self):
        spark = FakeSpark()
        step_spec = {"type": "remove-orphan-files", "table": "polaris.trading.raw_trades", "olderThanHours": 2, "dryRun": False}
        path = self.write_plan(plan(step_spec))
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            code = main([path], session_factory=lambda name: spark, env=ENV, log=lambda line: None)
        self.assertEqual(code, REFUSAL_EXIT_CODE)
        self.assertEqual(
            stderr.getvalue(),
            "error: refused for data safety: step 1 (remove-orphan-files): olderThanHours 2 is under 24: files of writes "
            "in progress would be deleted\n",
        )

    def test_an_empty_source_the_plan_forbids_is_a_refusal(self):
        spark = FakeSpark().respond(r"count\(\*\)", [{"n": 0}])
        with self.assertRaisesRegex(DataSafetyRefusal, r"step 1 \(etl\): polaris.a.src has no rows"):
            run(spark, {"type": "etl", "source": "polaris.a.src", "target": "polaris.a.b", "transform": "SELECT 1", "emptySource": "fail"})
        self.assertEqual(spark.writes, [])

    def test_exit_code_2_on_an_invalid_plan_without_starting_spark(self):
        started = []
        path = self.write_plan({"apiVersion": "dataplane.io/v1"})
        with contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(main([path], session_factory=started.append), 2)
        self.assertIn("job is None; expected an object with name, tenant", stderr.getvalue())
        self.assertEqual(started, [])

    def test_run_at_dates_every_cutoff(self):
        spark = FakeSpark()
        path = self.write_plan(plan({"type": "expire-snapshots", "table": "polaris.a.b", "retentionHours": 24, "retainLast": 1}))
        with unittest.mock.patch.dict(os.environ, {"DATAPLANE_RUN_AT": "2030-01-02T03:45:00Z"}):
            self.assertEqual(main([path], session_factory=lambda name: spark, env=ENV, log=lambda line: None), 0)
        self.assertIn("older_than => TIMESTAMP '2030-01-01 03:00:00'", spark.statements[0])

    def test_exit_code_2_on_a_bad_run_at_without_starting_spark(self):
        started = []
        path = self.write_plan(plan({"type": "sql", "statements": ["SELECT 1"]}))
        with unittest.mock.patch.dict(os.environ, {"DATAPLANE_RUN_AT": "tomorrow"}), contextlib.redirect_stderr(io.StringIO()) as stderr:
            self.assertEqual(main([path], session_factory=started.append), 2)
        self.assertIn("DATAPLANE_RUN_AT 'tomorrow' is not an ISO-8601 instant", stderr.getvalue())
        self.assertEqual(started, [])

    def test_module_and_script_entry_points_start(self):
        # spark-submit runs __main__.py as a file; `python -m` runs it as a module: both must import the package.
        for command in ([sys.executable, "-m", "dataplane_job"], [sys.executable, os.path.join(JOBS_DIR, "dataplane_job", "__main__.py")]):
            done = subprocess.run(command + ["/nonexistent/plan.json"], cwd=JOBS_DIR if "-m" in command else "/", capture_output=True, text=True)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn("cannot read the plan /nonexistent/plan.json", done.stderr)


if __name__ == "__main__":
    unittest.main()
