"""The two ways a run fails: a plan that cannot run (nothing was executed) and a step that failed."""


class PlanError(Exception):
    """The plan (or the environment it needs) is invalid; raised before any step runs."""


class StepError(Exception):
    """A step failed; the run stops and exits non-zero so the Spark Operator's restart policy applies."""
