"""How a run fails: a plan that cannot run (nothing was executed), a step that failed, or a step that refused.

Exit codes of ``python -m dataplane_job`` (the Kubernetes Job's podFailurePolicy matches them):
0 success, 1 a step failed (retried), 2 the plan is invalid, REFUSAL_EXIT_CODE a step refused for data safety
(not retried: a retry would refuse again or lose data).
"""

#: Mirrors ``REFUSAL_EXIT_CODE`` of ``jobs/plan.ts``; test/jobs/runner-contract.test.ts checks that they agree.
REFUSAL_EXIT_CODE = 3


class PlanError(Exception):
    """The plan (or the environment it needs) is invalid; raised before any step runs."""


class StepError(Exception):
    """A step failed; the run stops and exits non-zero so the Spark Operator's restart policy applies."""


class DataSafetyRefusal(StepError):
    """A step refused to run because running it could lose or duplicate data; retrying cannot help."""
