"""Reading and checking a plan before anything runs: every problem is reported at once."""

import json
from typing import Any

from . import PLAN_API_VERSION
from . import steps as _steps  # noqa: F401  (importing it registers the step handlers)
from .errors import PlanError
from .registry import handler_for, registered_types


def load_plan(path: str) -> Any:
    """The parsed JSON document; validate_plan decides whether it is a plan."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise PlanError(f"cannot read the plan {path}: {error}") from error


def validate_plan(plan: Any) -> dict[str, Any]:
    """Returns the plan when it can run; raises PlanError listing every problem otherwise."""
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
        handler = handler_for(str(spec.get("type")))
        if handler is None:
            problems.append(f"{where}.type is {spec.get('type')!r}; expected one of {', '.join(registered_types())}")
            continue
        missing = [key for key in handler.required if key not in spec]
        if missing:
            problems.append(f"{where} ({handler.type}) lacks {', '.join(missing)}")
    if problems:
        raise PlanError("invalid plan:\n" + "\n".join(f"  - {p}" for p in problems))
    return plan


def _strings(node: Any, keys: tuple[str, ...], where: str, problems: list[str]) -> None:
    if not isinstance(node, dict):
        problems.append(f"{where} is {node!r}; expected an object with {', '.join(keys)}")
        return
    for key in keys:
        if not isinstance(node.get(key), str) or not node[key]:
            problems.append(f"{where}.{key} is {node.get(key)!r}; expected a non-empty string")
