"""Command line: ``python -m dataplane_job <plan.json>``; exit codes as listed in ``errors.py``.

``DATAPLANE_RUN_AT`` (an ISO-8601 instant) runs the plan as of that instant instead of now: every cut-off a step
derives (retention, skipped recent hours) follows it, e.g. to redo a missed run or to age a test table.
"""

import os
import sys
from collections.abc import Callable
from typing import Any

from . import sqltext
from .errors import REFUSAL_EXIT_CODE, DataSafetyRefusal, PlanError, StepError
from .plan import load_plan, validate_plan
from .runner import run_plan
from .session import create_session

RUN_AT_ENV = "DATAPLANE_RUN_AT"


def main(argv: list[str], session_factory: Callable[[str], Any] = create_session, **run_options: Any) -> int:
    if len(argv) != 1:
        print("usage: python -m dataplane_job <plan.json>", file=sys.stderr)
        return 2
    try:
        plan = validate_plan(load_plan(argv[0]))
        if os.environ.get(RUN_AT_ENV) and "now" not in run_options:
            run_options["now"] = sqltext.instant(os.environ[RUN_AT_ENV], RUN_AT_ENV)
    except (PlanError, StepError) as error:
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
