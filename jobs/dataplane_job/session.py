"""The Spark side: catalog credentials from the environment, and the real session (pyspark imported lazily)."""

from collections.abc import Mapping
from typing import Any

from .errors import PlanError

CLICKHOUSE_CATALOG_CLASS = "com.clickhouse.spark.ClickHouseCatalog"


def configure_catalogs(spark: Any, plan: dict[str, Any], env: Mapping[str, str]) -> None:
    """Sets the credentials (and the ClickHouse catalog) before any step loads a catalog; values come from env vars."""
    catalog = plan["catalog"]
    client_id, client_secret = _env(env, catalog["credentialEnv"]["clientId"]), _env(env, catalog["credentialEnv"]["clientSecret"])
    spark.conf.set(f"spark.sql.catalog.{catalog['name']}.credential", f"{client_id}:{client_secret}")
    clickhouse = plan.get("clickhouse")
    if clickhouse:
        prefix = f"spark.sql.catalog.{clickhouse['catalog']}"
        settings = {
            "": CLICKHOUSE_CATALOG_CLASS,
            ".host": clickhouse["host"],
            ".protocol": clickhouse["protocol"],
            ".http_port": str(clickhouse["port"]),
            ".database": clickhouse["database"],
            ".user": _env(env, clickhouse["credentialEnv"]["user"]),
            ".password": _env(env, clickhouse["credentialEnv"]["password"]),
            ".timezone": "UTC",
            ".option.ssl": "true" if clickhouse["protocol"] == "https" else "false",
        }
        for suffix, value in settings.items():
            spark.conf.set(prefix + suffix, value)


def _env(env: Mapping[str, str], key: str) -> str:
    value = env.get(key)
    if not value:
        raise PlanError(f"environment variable {key} is not set; the job's Secret reference is missing")
    return value


def create_session(app_name: str) -> Any:
    from pyspark.sql import SparkSession  # only inside the job image

    return SparkSession.builder.appName(app_name).getOrCreate()


def column_expr(text: str) -> Any:
    from pyspark.sql.functions import expr  # only inside the job image

    return expr(text)
