"""The Iceberg side of the offload, on pyiceberg: the catalog, the table's layout and watermark, and the one-snapshot
replace of a run's hours.

Semantics read from pyiceberg 0.12.0 (``pyiceberg/table/__init__.py``, ``table/update/snapshot.py``):
``Transaction.overwrite(df, overwrite_filter)`` stages a DELETE snapshot and an APPEND snapshot (two snapshots in one
commit) and holds the whole Arrow table in memory. The writer instead writes each hour's Parquet files as it reads the
hour, then stages ONE ``UpdateSnapshot.overwrite()`` producer that removes the files of the replaced hours and adds
the new ones; ``delete_by_predicate`` on it sets the conflict-detection filter, so a concurrent commit that added
files to the same hours fails this one under the table's ``serializable`` isolation instead of leaving duplicates
(``_validate_added_data_files``), and a file removed concurrently (compaction) fails it too
(``_validate_data_files_exist``). Snapshot properties become summary entries of that snapshot.
"""

import itertools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyiceberg.catalog import Catalog
from pyiceberg.exceptions import NoSuchTableError
from pyiceberg.expressions import And, GreaterThanOrEqual, LessThan
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.table import Table
from pyiceberg.table.snapshots import ancestors_of
from pyiceberg.transforms import HourTransform

from ..errors import DataSafetyRefusal, StepError
from ..watermark import WATERMARK_PROPERTY, WATERMARK_SNAPSHOT_PROPERTY
from .hours import HOUR, parse_iso

#: Table properties of a table the offload creates: every commit deletes metadata files beyond the newest
#: ``previous-versions-max``, so an hourly writer's metadata does not grow without bound; ``serializable`` makes the
#: conflict check above explicit rather than a library default.
CREATED_TABLE_PROPERTIES = {
    "format-version": "2",
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "48",
    "write.update.isolation-level": "serializable",
    "write.delete.isolation-level": "serializable",
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def rest_catalog(catalog: Mapping[str, Any], client_id: str, client_secret: str) -> Catalog:
    """The Polaris catalog over Iceberg REST: OAuth2 client credentials, vended S3 credentials, the realm header."""
    from pyiceberg.catalog.rest import RestCatalog

    uri = catalog["uri"]
    return RestCatalog(
        catalog["name"],
        **{
            "uri": uri,
            "warehouse": catalog["warehouse"],
            "credential": f"{client_id}:{client_secret}",
            "scope": catalog["scope"],
            "oauth2-server-uri": f"{uri}/v1/oauth/tokens",
            "header.X-Iceberg-Access-Delegation": "vended-credentials",
            "header.Polaris-Realm": catalog["realm"],
        },
    )


def hour_number(moment: datetime) -> int:
    """The value Iceberg's ``hours()`` transform gives ``moment``: whole hours since the epoch, UTC."""
    return int((moment - _EPOCH) / HOUR)


def read_watermark(table: Table) -> datetime | None:
    """The highest watermark among the current snapshot's ancestors (maintenance snapshots carry none), or the one
    the table properties keep for an expired snapshot (see ``watermark.py``)."""
    marks = [
        parse_iso(str(snapshot.summary[WATERMARK_PROPERTY]))
        for snapshot in ancestors_of(table.current_snapshot(), table.metadata)
        if snapshot.summary is not None and snapshot.summary[WATERMARK_PROPERTY]
    ]
    kept, kept_by = table.properties.get(WATERMARK_PROPERTY), table.properties.get(WATERMARK_SNAPSHOT_PROPERTY)
    if kept and kept_by and table.metadata.snapshot_by_id(int(kept_by)) is None:
        marks.append(parse_iso(kept))
    return max(marks, default=None)


def total_rows(table: Table) -> int:
    snapshot = table.current_snapshot()
    if snapshot is None or snapshot.summary is None:
        return 0
    return int(snapshot.summary["total-records"] or 0)


@dataclass(frozen=True)
class TargetTable:
    identifier: tuple[str, str]
    """(namespace, table) in the catalog."""

    @staticmethod
    def parse(qualified: str) -> "TargetTable":
        parts = qualified.split(".")
        if len(parts) != 3:
            raise StepError(f"target {qualified!r} is not <catalog>.<namespace>.<table>")
        return TargetTable((parts[1], parts[2]))


def load_or_create(catalog: Catalog, target: TargetTable, arrow_schema: Any, column: str) -> tuple[Table, bool]:
    """The target table, created on first use partitioned by ``hours(column)``; an existing table must have that spec."""
    try:
        table = catalog.load_table(target.identifier)
    except NoSuchTableError:
        namespace = target.identifier[0]
        catalog.create_namespace_if_not_exists(namespace)
        transaction = catalog.create_table_transaction(
            target.identifier, schema=arrow_schema, properties=CREATED_TABLE_PROPERTIES
        )
        with transaction.update_spec() as spec:
            spec.add_field(column, HourTransform(), f"{column}_hour")
        transaction.commit_transaction()
        return catalog.load_table(target.identifier), True
    check_hour_spec(table, column)
    return table, False


def _hour_field(spec: PartitionSpec, source_id: int) -> PartitionField | None:
    return next((f for f in spec.fields if f.source_id == source_id and isinstance(f.transform, HourTransform)), None)


def check_hour_spec(table: Table, column: str) -> None:
    """The table's current spec must partition by ``hours(column)``: whole hours are then whole files."""
    field = table.schema().find_field(column)
    if _hour_field(table.spec(), field.field_id) is None:
        raise DataSafetyRefusal(
            f"{'.'.join(table.name())}: partition spec is {table.spec()}, without hours({column}); replacing an hour would "
            "have to rewrite files holding other hours, so the offload writes only tables partitioned by that transform"
        )


def files_of_hours(table: Table, column: str, start: datetime, end: datetime) -> list[Any]:
    """The data files holding rows of ``[start, end)``; every one must lie wholly inside those hours."""
    source_id = table.schema().find_field(column).field_id
    specs = table.metadata.specs()
    first, last = hour_number(start), hour_number(end)
    files, straddling = [], []
    for task in table.scan(row_filter=window_filter(column, start, end)).plan_files():
        data_file = task.file
        field = _hour_field(specs[data_file.spec_id], source_id)
        position = specs[data_file.spec_id].fields.index(field) if field else -1
        hour = data_file.partition[position] if field else None
        if hour is None or not first <= hour < last:
            straddling.append(data_file.file_path)
        else:
            files.append(data_file)
    if straddling:
        raise DataSafetyRefusal(
            f"{'.'.join(table.name())}: {len(straddling)} data file(s) hold rows of the hours to replace and of other hours "
            f"(written under an older partition spec), e.g. {straddling[0]}; rewrite them (compaction) before offloading"
        )
    return files


def window_filter(column: str, start: datetime, end: datetime) -> Any:
    return And(GreaterThanOrEqual(column, start.isoformat()), LessThan(column, end.isoformat()))


def replace_hours(
    table: Table,
    column: str,
    start: datetime,
    end: datetime,
    batches: Callable[[Callable[[Any], None]], None],
    properties: dict[str, str],
) -> int:
    """Replaces ``[start, end)`` with the rows ``batches`` hands over, in one snapshot carrying ``properties``.

    ``batches(write)`` calls ``write(arrow_table)`` once per hour read; each is written to Parquet right away, so only
    one hour is in memory. Returns the snapshot id.
    """
    # What Transaction.overwrite checks and writes with (pyiceberg.io.pyarrow), called per hour instead of once.
    from pyiceberg.io.pyarrow import _check_pyarrow_schema_compatible, _dataframe_to_data_files

    old_files = files_of_hours(table, column, start, end)
    commit_uuid = uuid.uuid4()
    counter = itertools.count(0)
    new_files: list[Any] = []

    def write(arrow: Any) -> None:
        _check_pyarrow_schema_compatible(
            table.schema(), provided_schema=arrow.schema, format_version=table.metadata.format_version
        )
        if arrow.num_rows > 0:
            new_files.extend(
                _dataframe_to_data_files(table.metadata, arrow, table.io, write_uuid=commit_uuid, counter=counter)
            )

    batches(write)
    with table.transaction() as transaction:
        with transaction.update_snapshot(snapshot_properties=properties).overwrite(commit_uuid=commit_uuid) as snapshot:
            snapshot.delete_by_predicate(window_filter(column, start, end))
            for data_file in old_files:
                snapshot.delete_data_file(data_file)
            for data_file in new_files:
                snapshot.append_data_file(data_file)
        transaction.set_properties(
            {WATERMARK_PROPERTY: properties[WATERMARK_PROPERTY], WATERMARK_SNAPSHOT_PROPERTY: str(snapshot.snapshot_id)}
        )
    current = table.current_snapshot()
    return current.snapshot_id if current else 0


def hourly_counts(table: Table, column: str, start: datetime, end: datetime) -> dict[datetime, int]:
    """Rows per UTC hour of ``[start, end)`` in the table (read back; used by the retained-rows guard)."""
    import pyarrow.compute as pc

    arrow = table.scan(row_filter=window_filter(column, start, end), selected_fields=(column,)).to_arrow()
    counts: dict[datetime, int] = {}
    if arrow.num_rows == 0:
        return counts
    hours = pc.floor_temporal(arrow.column(column), unit="hour")
    for value in hours.to_pylist():
        key = value.astimezone(UTC)
        counts[key] = counts.get(key, 0) + 1
    return counts
