"""A fake Spark session over a ClickHouse source and Iceberg tables with snapshots, for the offload tests.

A stand-in: no ClickHouse server can be had on this machine (see the offload issue); the maintenance and ETL steps run
on real Spark and Iceberg in test/engines instead.

It models only what the offload relies on, and refuses anything else:
- ClickHouse tables you insert into (and delete from, like an upstream correction), with an optional TTL;
- Iceberg tables partitioned by hours(col) or days(col), whose every change is an atomic snapshot carrying the
  `snapshot-property.*` write options in its summary, exposed through the `<table>.snapshots` and `<table>.history`
  metadata tables;
- overwrite-by-filter with Iceberg's rules: a data file is deleted only if all its rows match the filter ("Cannot
  delete file where some, but not all, rows match filter"). Like Spark's overwrite-by-filter it does not check that
  the added rows match the filter (Iceberg's `validateAddedFilesMatchOverwriteFilter` is off by default);
- a clock you control and crash injection before a chosen commit (a crash leaves nothing visible).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

UTC = timezone.utc
PREDICATE = re.compile(r"^`(\w+)` >= TIMESTAMP '([\d\- :]+)' AND `\1` < TIMESTAMP '([\d\- :]+)'$")


class ValidationException(Exception):
    """Iceberg's org.apache.iceberg.exceptions.ValidationException."""


class Crash(Exception):
    """The injected failure: the driver dies before the commit."""


def at(text: str) -> datetime:
    """'2026-11-21 08:30' in UTC."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@dataclass(frozen=True)
class Predicate:
    column: str
    start: datetime
    end: datetime

    @staticmethod
    def parse(text: str) -> "Predicate":
        match = PREDICATE.match(text)
        if not match:
            raise ValueError(f"the fake only understands a half-open timestamp range, got {text!r}")
        bound = lambda s: datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        return Predicate(match.group(1), bound(match.group(2)), bound(match.group(3)))

    def matches(self, row: dict) -> bool:
        return self.start <= row[self.column] < self.end


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class ClickHouseTable:
    def __init__(self, clock: Clock, ttl_hours: Optional[int] = None, column: str = "event_ts"):
        self.clock, self.ttl_hours, self.column = clock, ttl_hours, column
        self._rows: list[dict] = []

    def insert(self, *rows: dict) -> None:
        self._rows.extend(dict(r) for r in rows)

    def delete(self, row_id: str) -> None:
        self._rows = [r for r in self._rows if r["id"] != row_id]

    def rows(self) -> list[dict]:
        if self.ttl_hours is None:
            return list(self._rows)
        horizon = self.clock.now - timedelta(hours=self.ttl_hours)
        return [r for r in self._rows if r[self.column] >= horizon]


@dataclass(frozen=True)
class DataFile:
    partition: tuple
    rows: tuple


@dataclass
class Snapshot:
    snapshot_id: int
    parent_id: Optional[int]
    committed_at: datetime
    operation: str
    summary: dict
    files: tuple


class IcebergTable:
    def __init__(self, name: str, lake: "Lakehouse", transform: str = "hours", column: str = "event_ts"):
        self.name, self.lake, self.transform, self.column = name, lake, transform, column
        self.snapshots: list[Snapshot] = []
        self.current: Optional[Snapshot] = None

    def partition_of(self, row: dict) -> tuple:
        ts = row[self.column]
        return (ts.replace(minute=0, second=0, microsecond=0) if self.transform == "hours" else ts.date(),)

    def rows(self) -> list[dict]:
        return [dict(r) for f in (self.current.files if self.current else ()) for r in f.rows]

    def ids(self) -> list[str]:
        return sorted(r["id"] for r in self.rows())

    def _commit(self, operation: str, files: tuple, summary: dict) -> None:
        self.lake.before_commit(self.name)
        snap = Snapshot(
            snapshot_id=len(self.snapshots) + 1,
            parent_id=self.current.snapshot_id if self.current else None,
            committed_at=self.lake.clock.now,
            operation=operation,
            summary=dict(summary, operation=operation),
            files=files,
        )
        self.snapshots.append(snap)
        self.current = snap

    def overwrite(self, predicate: Predicate, rows: list[dict], properties: dict) -> None:
        if predicate.column != self.column:
            raise ValidationException(f"filter on {predicate.column} cannot select whole partitions of {self.transform}({self.column})")
        kept = []
        for data_file in self.current.files if self.current else ():
            matching = sum(predicate.matches(r) for r in data_file.rows)
            if 0 < matching < len(data_file.rows):
                raise ValidationException(f"Cannot delete file where some, but not all, rows match filter {predicate}")
            if matching == 0:
                kept.append(data_file)
        self._commit("overwrite", tuple(kept) + self._files_for(rows), properties)

    def compact(self) -> None:
        """rewrite_data_files: one file per partition, same rows, a snapshot without offload properties."""
        self._commit("replace", self._files_for(self.rows()), {})

    def _files_for(self, rows: list[dict]) -> tuple:
        by_partition: dict[tuple, list[dict]] = {}
        for row in rows:
            by_partition.setdefault(self.partition_of(row), []).append(dict(row))
        return tuple(DataFile(p, tuple(rs)) for p, rs in sorted(by_partition.items()))

    def rollback_to(self, snapshot_id: int) -> None:
        self.current = next(s for s in self.snapshots if s.snapshot_id == snapshot_id)

    def ancestors(self) -> set[int]:
        ids, snap = set(), self.current
        while snap is not None:
            ids.add(snap.snapshot_id)
            snap = next((s for s in self.snapshots if s.snapshot_id == snap.parent_id), None)
        return ids


class Lakehouse:
    """The fake catalogs: `clickhouse.<db>.<table>` sources and `polaris.<ns>.<table>` Iceberg tables."""

    def __init__(self, now: datetime):
        self.clock = Clock(now)
        self.sources: dict[str, ClickHouseTable] = {}
        self.tables: dict[str, IcebergTable] = {}
        self.commit_log: list[str] = []
        self._crash_at: Optional[int] = None

    def source(self, name: str, ttl_hours: Optional[int] = None) -> ClickHouseTable:
        return self.sources.setdefault(name, ClickHouseTable(self.clock, ttl_hours))

    def iceberg(self, name: str, transform: str = "hours") -> IcebergTable:
        return self.tables.setdefault(name, IcebergTable(name, self, transform))

    def crash_before_commit(self, n: int) -> None:
        """The n-th commit from now (1 = the next one) fails before anything becomes visible."""
        self._crash_at = len(self.commit_log) + n

    def before_commit(self, table: str) -> None:
        if self._crash_at is not None and len(self.commit_log) + 1 == self._crash_at:
            self._crash_at = None
            raise Crash(f"driver lost before commit to {table}")
        self.commit_log.append(table)

    def session(self) -> "FakeSession":
        return FakeSession(self)


class FakeFrame:
    def __init__(self, lake: Lakehouse, rows: list[dict], source: Optional[str] = None):
        self.lake, self._rows, self.source = lake, rows, source

    def collect(self) -> list[dict]:
        return [dict(r) for r in self._rows]

    def where(self, condition: str) -> "FakeFrame":
        predicate = Predicate.parse(condition)
        return FakeFrame(self.lake, [r for r in self._rows if predicate.matches(r)], self.source)

    def writeTo(self, name: str) -> "FakeWriter":
        return FakeWriter(self.lake.tables[name], self._rows)


class FakeWriter:
    def __init__(self, table: IcebergTable, rows: list[dict]):
        self.table, self.rows, self.properties = table, rows, {}

    def option(self, key: str, value: str) -> "FakeWriter":
        if not key.startswith("snapshot-property."):
            raise ValueError(f"unexpected write option {key}")
        self.properties[key[len("snapshot-property."):]] = value
        return self

    def overwrite(self, condition: Predicate) -> None:
        self.table.overwrite(condition, self.rows, self.properties)


class FakeSession:
    def __init__(self, lake: Lakehouse):
        self.lake = lake

    def table(self, name: str) -> FakeFrame:
        if name in self.lake.sources:
            return FakeFrame(self.lake, self.lake.sources[name].rows(), name)
        base, _, meta = name.rpartition(".")
        table = self.lake.tables[base]
        if meta == "snapshots":
            return FakeFrame(self.lake, [
                {"snapshot_id": s.snapshot_id, "committed_at": s.committed_at, "operation": s.operation, "summary": dict(s.summary)}
                for s in table.snapshots
            ])
        if meta == "history":
            ancestors = table.ancestors()
            return FakeFrame(self.lake, [
                {"snapshot_id": s.snapshot_id, "made_current_at": s.committed_at, "is_current_ancestor": s.snapshot_id in ancestors}
                for s in table.snapshots
            ])
        raise KeyError(name)


#: Stands in for pyspark.sql.functions.expr.
fake_expr: Callable[[str], Any] = Predicate.parse
