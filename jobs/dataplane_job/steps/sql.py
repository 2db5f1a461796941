"""``sql``: statements run in order."""

from ..errors import StepError
from ..registry import step


@step("sql", required=("statements",))
def run_statements(ctx, spec):
    statements = spec["statements"]
    if not isinstance(statements, list) or not statements or not all(isinstance(s, str) and s.strip() for s in statements):
        raise StepError("statements is not a non-empty list of SQL texts")
    for statement in statements:
        ctx.spark.sql(statement)
    return {"statements": len(statements)}
