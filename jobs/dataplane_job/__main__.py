"""Entry point: ``python -m dataplane_job <plan.json>``, or spark-submit of this file with the plan as argument."""

import os
import sys

if not __package__:
    # spark-submit runs this file as a script; make the package it belongs to importable.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dataplane_job.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
