"""python -m dataplane_job <plan.json>: runs the plan's steps in order in one Spark session."""
import json
import sys
from typing import Any, Mapping

from .steps import HANDLERS

API_VERSION = "dataplane.io/v1"


def run_plan(spark: Any, plan: Mapping[str, Any]) -> None:
    if plan.get("apiVersion") != API_VERSION:
        raise ValueError(f"plan apiVersion {plan.get('apiVersion')!r}; expected {API_VERSION!r}")
    unknown = [s["type"] for s in plan["steps"] if s["type"] not in HANDLERS]
    if unknown:
        raise ValueError(f"unknown step types {unknown}; known: {sorted(HANDLERS)}")
    for step in plan["steps"]:
        HANDLERS[step["type"]](spark, step)


def main(argv: list[str]) -> None:
    from pyspark.sql import SparkSession  # the session's settings come from PYSPARK_SUBMIT_ARGS

    with open(argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    spark = SparkSession.builder.appName(plan["job"]).getOrCreate()
    try:
        run_plan(spark, plan)
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv)
