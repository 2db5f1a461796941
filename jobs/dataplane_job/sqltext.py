"""Building SQL text safely: identifiers are validated (never quoted-through), literals are escaped."""

import re
from datetime import UTC, datetime
from typing import Any

from .errors import StepError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def name(value: object, parts: int, what: str) -> str:
    """A dotted name of exactly ``parts`` identifiers (``catalog.namespace.table`` is 3)."""
    if not isinstance(value, str) or not _matches(value, parts):
        raise StepError(f"{what} {value!r} is not {parts} dot-separated identifiers")
    return value


def _matches(value: str, parts: int) -> bool:
    pieces = value.split(".")
    return len(pieces) == parts and all(_IDENTIFIER.match(p) for p in pieces)


def table(value: object) -> str:
    return name(value, 3, "table")


def split_table(value: object) -> tuple[str, str]:
    """``catalog.ns.t`` -> (``catalog``, ``ns.t``): procedures take the table inside their catalog."""
    catalog, rest = table(value).split(".", 1)
    return catalog, rest


def column(value: object) -> str:
    return f"`{name(value, 1, 'column')}`"


def string(value: str) -> str:
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def timestamp(value: datetime) -> str:
    """A timestamp literal in UTC (jobs run with spark.sql.session.timeZone=UTC)."""
    utc = value.astimezone(UTC) if value.tzinfo else value
    return f"TIMESTAMP '{utc.strftime('%Y-%m-%d %H:%M:%S')}'"


def instant(value: object, what: str) -> datetime:
    """An ISO-8601 instant with an explicit offset (``2026-08-01T00:00:00Z``), as an aware UTC datetime."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise StepError(f"{what} {value!r} is not an ISO-8601 instant with a time zone")
    return parsed.astimezone(UTC)


def whole(spec: dict[str, Any], key: str, minimum: int) -> int:
    value = spec.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise StepError(f"{key} {value!r} is not a whole number >= {minimum}")
    return value
