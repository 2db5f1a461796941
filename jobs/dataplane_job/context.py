"""What a step handler gets: the session, the plan, one clock reading for the whole run, and a logger."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class StepContext:
    spark: Any
    plan: dict[str, Any]
    started_at: datetime
    """When the run started (aware, UTC); every step derives its cut-offs from it, so retries of a step agree."""
    expr: Callable[[str], Any]
    """Turns SQL text into a Column (``pyspark.sql.functions.expr``); tests pass the identity."""
    log: Callable[[str], None]

    @property
    def start_hour(self) -> datetime:
        """The start of the hour the run started in."""
        return self.started_at.replace(minute=0, second=0, microsecond=0)

    def hours_before_start(self, hours: int) -> datetime:
        return self.start_hour - timedelta(hours=hours)
