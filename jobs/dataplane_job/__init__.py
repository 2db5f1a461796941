"""Generic PySpark job runner: executes a job plan rendered by ``jobs/plan.ts``.

Run it as ``python -m dataplane_job <plan.json>`` or hand ``dataplane_job/__main__.py`` to spark-submit.
"""

PLAN_API_VERSION = "dataplane.io/v1"
