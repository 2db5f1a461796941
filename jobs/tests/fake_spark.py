"""A stand-in for a SparkSession, for the steps' SQL text and bad-input checks: it records every SQL text, conf change,
filter and write (with its options), answers queries from canned responses, and keeps the rows written to each table.
It evaluates nothing: what the steps do to real tables is proven on real Spark and Iceberg by test/engines."""

import re
from collections.abc import Callable
from typing import Any


class FakeRow(dict):
    """Like pyspark's Row as the steps use it: by name (``row["n"]``) and ``asDict()``."""

    def asDict(self):
        return dict(self)


class FakeConf:
    def __init__(self):
        self.values: dict[str, str] = {}
        self.changes: list[Any] = []

    def set(self, key: str, value: str) -> None:
        self.values[key] = value
        self.changes.append((key, value))

    def unset(self, key: str) -> None:
        self.values.pop(key, None)
        self.changes.append((key, None))

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)


class FakeWrite:
    def __init__(self, table: str, mode: str, condition: Any, rows: list[Any], options: dict[str, str]):
        self.table, self.mode, self.condition, self.rows, self.options = table, mode, condition, rows, options

    def __repr__(self):
        return f"FakeWrite({self.table!r}, {self.mode!r}, {self.condition!r}, {len(self.rows)} rows)"


class FakeWriter:
    def __init__(self, spark: "FakeSpark", table: str, rows: list[Any]):
        self.spark, self.table, self.rows = spark, table, rows
        self.options: dict[str, str] = {}

    def option(self, key: str, value: str) -> "FakeWriter":
        self.options[key] = value
        return self

    def append(self) -> None:
        self.spark.writes.append(FakeWrite(self.table, "append", None, self.rows, self.options))
        self.spark.rows.setdefault(self.table, []).extend(self.rows)

    def overwrite(self, condition: Any) -> None:
        self.spark.writes.append(FakeWrite(self.table, "overwrite", condition, self.rows, self.options))


class FakeFrame:
    def __init__(self, spark: "FakeSpark", rows: list[dict[str, Any]], dtypes: list[tuple] | None = None):
        self.spark, self._rows, self.dtypes = spark, [FakeRow(r) if isinstance(r, dict) else r for r in rows], dtypes or []

    @property
    def columns(self) -> list[str]:
        return [name for name, _ in self.dtypes]

    def collect(self) -> list[Any]:
        return list(self._rows)

    def where(self, condition: Any) -> "FakeFrame":
        """Records the filter in ``spark.filters`` and keeps every row: the fake does not evaluate predicates."""
        self.spark.filters.append(condition)
        return FakeFrame(self.spark, self._rows, self.dtypes)

    def writeTo(self, table: str) -> FakeWriter:
        return FakeWriter(self.spark, table, list(self._rows))


Responder = list[dict[str, Any]] | Callable[[re.Match, str], list[dict[str, Any]]]


class FakeSpark:
    def __init__(self):
        self.statements: list[str] = []
        self.conf = FakeConf()
        self.writes: list[FakeWrite] = []
        self.filters: list[Any] = []
        self.rows: dict[str, list[Any]] = {}
        self.schemas: dict[str, list[tuple]] = {}
        self.stopped = False
        self._responders: list[tuple] = []

    def respond(self, pattern: str, rows: Responder) -> "FakeSpark":
        """Answers SQL matching ``pattern`` (a regex searched in the text) with ``rows``; later rules win."""
        self._responders.insert(0, (re.compile(pattern, re.S), rows))
        return self

    def sql(self, text: str) -> FakeFrame:
        self.statements.append(text)
        for pattern, rows in self._responders:
            match = pattern.search(text)
            if match:
                return FakeFrame(self, rows(match, text) if callable(rows) else rows)
        return FakeFrame(self, [])

    def table(self, name: str) -> FakeFrame:
        return FakeFrame(self, self.rows.get(name, []), self.schemas.get(name, []))

    def createDataFrame(self, rows: list[tuple], schema: str) -> FakeFrame:
        names = [field.strip().split(" ")[0] for field in schema.split(",")]
        return FakeFrame(self, [dict(zip(names, row, strict=True)) for row in rows])

    def stop(self) -> None:
        self.stopped = True
