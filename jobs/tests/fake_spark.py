"""A stand-in for a SparkSession, for the steps' SQL text and bad-input checks: it records every SQL text, conf change,
filter and write (with its options), answers queries from canned responses, and keeps the rows written to each table.
It evaluates nothing: what the steps do to real tables is proven on real Spark and Iceberg by test/engines."""

import re
from typing import Any, Callable, Dict, List, Optional, Union


class FakeRow(dict):
    """Like pyspark's Row as the steps use it: by name (``row["n"]``) and ``asDict()``."""

    def asDict(self):
        return dict(self)


class FakeConf:
    def __init__(self):
        self.values: Dict[str, str] = {}

    def set(self, key: str, value: str) -> None:
        self.values[key] = value

    def get(self, key: str, default: Optional[str] = None) -> Optional[str]:
        return self.values.get(key, default)


class FakeWrite:
    def __init__(self, table: str, mode: str, condition: Any, rows: List[Any], options: Dict[str, str]):
        self.table, self.mode, self.condition, self.rows, self.options = table, mode, condition, rows, options

    def __repr__(self):
        return f"FakeWrite({self.table!r}, {self.mode!r}, {self.condition!r}, {len(self.rows)} rows)"


class FakeWriter:
    def __init__(self, spark: "FakeSpark", table: str, rows: List[Any]):
        self.spark, self.table, self.rows, self.options = spark, table, rows, {}

    def option(self, key: str, value: str) -> "FakeWriter":
        self.options[key] = value
        return self

    def append(self) -> None:
        self.spark.writes.append(FakeWrite(self.table, "append", None, self.rows, self.options))
        self.spark.rows.setdefault(self.table, []).extend(self.rows)

    def overwrite(self, condition: Any) -> None:
        self.spark.writes.append(FakeWrite(self.table, "overwrite", condition, self.rows, self.options))


class FakeFrame:
    def __init__(self, spark: "FakeSpark", rows: List[Dict[str, Any]], dtypes: Optional[List[tuple]] = None):
        self.spark, self._rows, self.dtypes = spark, [FakeRow(r) if isinstance(r, dict) else r for r in rows], dtypes or []

    @property
    def columns(self) -> List[str]:
        return [name for name, _ in self.dtypes]

    def collect(self) -> List[Any]:
        return list(self._rows)

    def where(self, condition: Any) -> "FakeFrame":
        """Records the filter in ``spark.filters`` and keeps every row: the fake does not evaluate predicates."""
        self.spark.filters.append(condition)
        return FakeFrame(self.spark, self._rows, self.dtypes)

    def writeTo(self, table: str) -> FakeWriter:
        return FakeWriter(self.spark, table, list(self._rows))


Responder = Union[List[Dict[str, Any]], Callable[[re.Match, str], List[Dict[str, Any]]]]


class FakeSpark:
    def __init__(self):
        self.statements: List[str] = []
        self.conf = FakeConf()
        self.writes: List[FakeWrite] = []
        self.filters: List[Any] = []
        self.rows: Dict[str, List[Any]] = {}
        self.schemas: Dict[str, List[tuple]] = {}
        self.stopped = False
        self._responders: List[tuple] = []

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

    def createDataFrame(self, rows: List[tuple], schema: str) -> FakeFrame:
        names = [field.strip().split(" ")[0] for field in schema.split(",")]
        return FakeFrame(self, [dict(zip(names, row)) for row in rows])

    def stop(self) -> None:
        self.stopped = True
