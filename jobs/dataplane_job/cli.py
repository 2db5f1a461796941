"""Command line: ``python -m dataplane_job <plan.json>``; exit codes as listed in ``errors.py``."""

import sys
from typing import Any, Callable, List, Optional

from .errors import REFUSAL_EXIT_CODE, DataSafetyRefusal, PlanError, StepError
from .plan import load_plan, validate_plan
from .runner import run_plan
from .session import create_session


def main(argv: List[str], session_factory: Callable[[str], Any] = create_session, **run_options: Any) -> int:
    if len(argv) != 1:
        print("usage: python -m dataplane_job <plan.json>", file=sys.stderr)
        return 2
    try:
        plan = validate_plan(load_plan(argv[0]))
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    spark = session_factory(plan["job"]["name"])
    try:
        run_plan(plan, spark, **run_options)
        return 0
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except DataSafetyRefusal as error:
        print(f"error: refused for data safety: {error}", file=sys.stderr)
        return REFUSAL_EXIT_CODE
    except StepError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
