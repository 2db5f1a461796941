"""Plans and a runner call shared by the tests."""

from datetime import UTC, datetime

from dataplane_job.runner import run_plan

NOW = datetime(2026, 8, 20, 2, 7, 30, tzinfo=UTC)
ENV = {"POLARIS_CLIENT_ID": "tenant-id", "POLARIS_CLIENT_SECRET": "tenant-secret", "CLICKHOUSE_USER": "reader", "CLICKHOUSE_PASSWORD": "pw"}


def plan(*steps, clickhouse=False):
    document = {
        "apiVersion": "dataplane.io/v1",
        "job": {"name": "trading-test", "tenant": "trading"},
        "catalog": {"name": "polaris", "credentialEnv": {"clientId": "POLARIS_CLIENT_ID", "clientSecret": "POLARIS_CLIENT_SECRET"}},
        "steps": list(steps),
    }
    if clickhouse:
        document["clickhouse"] = {
            "catalog": "clickhouse", "host": "clickhouse.clickhouse.svc.cluster.local", "port": 8123, "protocol": "http",
            "database": "trading", "credentialEnv": {"user": "CLICKHOUSE_USER", "password": "CLICKHOUSE_PASSWORD"},
        }
    return document


def run(spark, *steps, **options):
    """Runs the steps with a fixed clock, the test credentials, and ``expr`` returning the SQL text it gets."""
    return run_plan(plan(*steps, clickhouse=options.pop("clickhouse", False)), spark, env=options.pop("env", ENV), now=NOW,
                    expr=lambda text: text, log=lambda line: None, **options)

