"""Which whole UTC hours one run replaces for one table, from the table's watermark and one clock reading."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import DataSafetyRefusal, StepError

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class OffloadTable:
    """An ``offload`` step as ``constructs/offload`` renders it."""

    source: str
    """``<catalog>.<database>.<table>`` in ClickHouse."""
    target: str
    """``<catalog>.<namespace>.<table>`` in Iceberg."""
    event_time_column: str
    lag_hours: int
    allowed_lateness_hours: int
    outage_tolerance_hours: int
    max_catch_up_hours: int
    ttl_hours: int
    dedup: str
    """``final`` reads with FINAL (merging engines); ``none`` reads rows as stored."""

    @staticmethod
    def from_plan(spec: Mapping[str, Any]) -> "OffloadTable":
        def whole(key: str, minimum: int) -> int:
            value = spec.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise StepError(f"{key} {value!r} is not a whole number >= {minimum}")
            return value

        dedup = spec.get("dedup")
        if dedup not in ("none", "final"):
            raise StepError(f"dedup {dedup!r} is not 'none' or 'final'")
        return OffloadTable(
            source=str(spec["source"]),
            target=str(spec["target"]),
            event_time_column=str(spec["eventTimeColumn"]),
            lag_hours=whole("lagHours", 1),
            allowed_lateness_hours=whole("allowedLatenessHours", 0),
            outage_tolerance_hours=whole("outageToleranceHours", 1),
            max_catch_up_hours=whole("maxCatchUpHours", 2),
            ttl_hours=whole("ttlHours", 1),
            dedup=dedup,
        )


@dataclass(frozen=True)
class Window:
    """The hours ``[start, end)`` one run replaces, and the watermark its commit carries."""

    start: datetime
    end: datetime
    watermark: datetime
    """The end of the newest hour the table holds after the commit; never lower than before."""
    behind_hours: int
    """Closed, lagged hours left for the next runs (a catch-up bounded by ``max_catch_up_hours``)."""

    @property
    def hours(self) -> tuple[datetime, ...]:
        count = int((self.end - self.start) / HOUR)
        return tuple(self.start + i * HOUR for i in range(max(count, 0)))


def floor_hour(moment: datetime) -> datetime:
    """The start of the UTC hour holding ``moment``, whatever the process's TZ (naive datetimes are refused)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no instant; pass an aware one")
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def plan_window(table: OffloadTable, watermark: datetime | None, now: datetime, resume: str) -> Window:
    """The hours to replace, oldest first.

    ``limit`` is the end of the newest closed, lagged hour. The run catches up from the watermark by at most
    ``max_catch_up_hours`` (so a long outage cannot push one run past its deadline or its memory; each run gains
    ``max_catch_up_hours - 1`` on the clock), and replaces again the ``allowed_lateness_hours`` hours before ``limit`` so
    late rows land once. A clock that jumped forward only widens the catch-up; one that went back rewrites hours already
    held and leaves the watermark where it was. A watermark older than the outage tolerance stops the run: ClickHouse's
    TTL may already have dropped rows of the missing hours, and replacing them would delete those rows from Iceberg too.
    """
    limit = floor_hour(now) - table.lag_hours * HOUR
    oldest_allowed = limit - table.outage_tolerance_hours * HOUR
    if watermark is None:
        caught_up_to = oldest_allowed
    elif watermark < oldest_allowed:
        raise DataSafetyRefusal(
            f"{table.target}: watermark {iso(watermark)} is older than the outage tolerance "
            f"({table.outage_tolerance_hours} h before {iso(limit)}); ClickHouse TTL may have deleted rows of the hours "
            f"{iso(watermark)} to {iso(oldest_allowed)}, so recover them with a reviewed backfill, which moves the "
            f"watermark: {resume.format(start=iso(watermark), end=iso(limit))}"
        )
    else:
        caught_up_to = watermark
    start = min(caught_up_to, limit - table.allowed_lateness_hours * HOUR)
    end = min(limit, caught_up_to + table.max_catch_up_hours * HOUR)
    end = max(end, start)
    new_mark = end if watermark is None else max(watermark, end)
    behind = int(max(timedelta(0), limit - end) / HOUR)
    return Window(start=start, end=end, watermark=new_mark, behind_hours=behind)
