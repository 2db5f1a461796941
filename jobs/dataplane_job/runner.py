"""Runs a plan's steps in order against a Spark session (the real one, or a test double)."""

import os
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional

from .context import StepContext
from .errors import DataSafetyRefusal, StepError
from .plan import validate_plan
from .registry import handler_for
from .session import column_expr, configure_catalogs


def run_plan(
    plan: Dict[str, Any],
    spark: Any,
    *,
    env: Optional[Mapping[str, str]] = None,
    now: Optional[datetime] = None,
    expr: Callable[[str], Any] = column_expr,
    log: Callable[[str], None] = print,
) -> List[Any]:
    """Validates the whole plan, configures the catalogs, then runs every step; returns each step's result."""
    validate_plan(plan)
    configure_catalogs(spark, plan, os.environ if env is None else env)
    ctx = StepContext(spark=spark, plan=plan, started_at=(now or datetime.now(timezone.utc)).astimezone(timezone.utc), expr=expr, log=log)
    job, total, results = plan["job"]["name"], len(plan["steps"]), []
    for index, spec in enumerate(plan["steps"], 1):
        handler = handler_for(spec["type"])
        log(f"[{job}] step {index}/{total}: {spec['type']}")
        try:
            result = handler.run(ctx, spec)
        except Exception as error:
            raise step_failure(index, spec["type"], error) from error
        log(f"[{job}] step {index}/{total} done: {result}")
        results.append(result)
    return results


def step_failure(index: int, type_name: str, error: Exception) -> StepError:
    """One line naming the step; a refusal stays a refusal, anything else (Spark, Py4J, a bug) becomes a StepError."""
    lines = str(error).strip().splitlines()
    # Spark's exceptions carry the JVM stack after the first line; StepError messages are one line already.
    text = lines[0] if lines else ""
    if not isinstance(error, StepError):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    kind = DataSafetyRefusal if isinstance(error, DataSafetyRefusal) else StepError
    return kind(f"step {index} ({type_name}): {text}")
