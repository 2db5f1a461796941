"""``python -m dataplane_job.offload <plan.json>``: the tier-1 offload run (no Spark, no JVM).

Exit codes are the runner's (``dataplane_job/errors.py``): 0 every table committed, 1 a table failed for a reason a
retry can fix (the Job retries the pod), 2 the plan or its environment is invalid, ``REFUSAL_EXIT_CODE`` every failed
table refused for data safety (the Job's podFailurePolicy fails the Job instead of retrying). Each failure is one
``error:`` line naming the step.
"""

import os
import sys

if not __package__:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from dataplane_job.offload.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
