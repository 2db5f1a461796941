"""The offload command line: reads the plan, connects ClickHouse and the catalog, runs every table, maps the outcome
to the runner's exit codes."""

import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ..errors import REFUSAL_EXIT_CODE, PlanError
from ..plan import load_plan, validate_plan
from ..registry import StepHandler
from .writer import TableResult, offload_table, run_offloads, utc_now

#: The one step type of an offload plan, with the keys ``constructs/offload`` renders.
OFFLOAD_STEP = StepHandler(
    "offload",
    offload_table,
    (
        "source", "target", "eventTimeColumn", "lagHours", "allowedLatenessHours", "outageToleranceHours",
        "maxCatchUpHours", "ttlHours", "dedup",
    ),
)


def validate_offload_plan(plan: Any) -> Any:
    """The plan when the offload runner can run it (every step an offload step with its keys); PlanError otherwise."""
    return validate_plan(plan, handlers=lambda t: OFFLOAD_STEP if t == "offload" else None, types=["offload"])


def _env(env: Mapping[str, str], key: str) -> str:
    value = env.get(key)
    if not value:
        raise PlanError(f"environment variable {key} is not set; the job's Secret reference is missing")
    return value


def connect(plan: Mapping[str, Any], env: Mapping[str, str]) -> Any:
    """Production clients from the plan and the Secret-backed variables: (ClickHouse over HTTP, Polaris over REST)."""
    from .clickhouse import HttpClickHouse
    from .iceberg import rest_catalog

    clickhouse, catalog = plan.get("clickhouse"), plan["catalog"]
    if not clickhouse or "rest" not in catalog:
        raise PlanError("an offload plan needs clickhouse and catalog.rest")
    source = HttpClickHouse(
        clickhouse, _env(env, clickhouse["credentialEnv"]["user"]), _env(env, clickhouse["credentialEnv"]["password"])
    )
    target = rest_catalog(
        {"name": catalog["name"], **catalog["rest"]},
        _env(env, catalog["credentialEnv"]["clientId"]),
        _env(env, catalog["credentialEnv"]["clientSecret"]),
    )
    return source, target


def exit_code(results: list[TableResult]) -> int:
    failed = [r for r in results if r.error]
    if not failed:
        return 0
    return REFUSAL_EXIT_CODE if all(r.refused for r in failed) else 1


def main(
    argv: list[str],
    connect_to: Callable[[Mapping[str, Any], Mapping[str, str]], Any] = connect,
    now: Callable[[], datetime] | None = None,
    env: Mapping[str, str] | None = None,
    log: Callable[[str], None] = print,
) -> int:
    if len(argv) != 1:
        print("usage: python -m dataplane_job.offload <plan.json>", file=sys.stderr)
        return 2
    try:
        plan = validate_offload_plan(load_plan(argv[0]))
        source, catalog = connect_to(plan, os.environ if env is None else env)
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results = run_offloads(source, catalog, plan, (now or utc_now)(), log=log)
    for result in results:
        if result.error:
            prefix = "refused for data safety: " if result.refused else ""
            print(f"error: {prefix}{result.error}", file=sys.stderr)
    return exit_code(results)
