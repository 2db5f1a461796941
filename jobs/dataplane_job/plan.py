"""Reading and checking a plan before anything runs: every problem is reported at once."""

import json
from collections.abc import Callable
from typing import Any

from . import PLAN_API_VERSION
from . import steps as _steps  # noqa: F401  (registers the step handlers)
from .errors import PlanError
from .registry import StepHandler, handler_for, registered_types


def load_plan(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise PlanError(f"cannot read the plan {path}: {error}") from error


def validate_plan(
    plan: Any, handlers: Callable[[Any], StepHandler | None] = handler_for, types: list[str] | None = None
) -> dict[str, Any]:
    """Returns the plan when it can run; raises PlanError listing every problem otherwise. ``handlers`` are the step
    types the runner knows (the Spark runner's registry, or the offload runner's one step)."""
    problems: list[str] = []
    if not isinstance(plan, dict):
        raise PlanError("the plan is not a JSON object")
    if plan.get("apiVersion") != PLAN_API_VERSION:
        problems.append(f"apiVersion is {plan.get('apiVersion')!r}; expected {PLAN_API_VERSION!r}")
    _strings(plan.get("job"), ("name", "tenant"), "job", problems)
    catalog = plan.get("catalog")
    _strings(catalog, ("name",), "catalog", problems)
    credential_env = catalog.get("credentialEnv") if isinstance(catalog, dict) else None
    _strings(credential_env, ("clientId", "clientSecret"), "catalog.credentialEnv", problems)
    if "clickhouse" in plan:
        clickhouse = plan["clickhouse"]
        _strings(clickhouse, ("catalog", "host", "protocol", "database"), "clickhouse", problems)
        if isinstance(clickhouse, dict):
            _strings(clickhouse.get("credentialEnv"), ("user", "password"), "clickhouse.credentialEnv", problems)
            if not isinstance(clickhouse.get("port"), int):
                problems.append(f"clickhouse.port is {clickhouse.get('port')!r}; expected a port number")
    steps = plan.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.append("steps is not a non-empty list")
        steps = []
    for index, spec in enumerate(steps):
        where = f"steps[{index}]"
        if not isinstance(spec, dict):
            problems.append(f"{where} is not an object")
            continue
        handler = handlers(spec.get("type"))
        if handler is None:
            known = ", ".join(types if types is not None else registered_types())
            problems.append(f"{where}.type is {spec.get('type')!r}; expected one of {known}")
            continue
        missing = [key for key in handler.required if key not in spec]
        if missing:
            problems.append(f"{where} ({handler.type}) lacks {', '.join(missing)}")
    if problems:
        raise PlanError("invalid plan:\n" + "\n".join(f"  - {p}" for p in problems))
    return plan


def _strings(node: Any, keys, where: str, problems: list[str]) -> None:
    if not isinstance(node, dict):
        problems.append(f"{where} is {node!r}; expected an object with {', '.join(keys)}")
        return
    for key in keys:
        if not isinstance(node.get(key), str) or not node[key]:
            problems.append(f"{where}.{key} is {node.get(key)!r}; expected a non-empty string")
