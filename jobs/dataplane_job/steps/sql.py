"""``sql``: statements run in order."""

from typing import Any

from ..context import StepContext
from ..errors import StepError
from ..registry import step


@step("sql", required=("statements",))
def run_statements(ctx: StepContext, spec: dict[str, Any]) -> Any:
    statements = spec["statements"]
    if not isinstance(statements, list) or not statements or not all(isinstance(s, str) and s.strip() for s in statements):
        raise StepError("statements is not a non-empty list of SQL texts")
    for statement in statements:
        ctx.spark.sql(statement)
    return {"statements": len(statements)}
