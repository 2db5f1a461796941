"""``npm run bench`` part 2: the tier-1 writer offloading one hour of raw_trades-shaped rows (not a unittest module).

``python -m tests.bench_offload prepare <dir> <rows>`` fills a chdb database under ``<dir>`` with ``<rows>`` rows in one
hour; ``python -m tests.bench_offload run <dir>`` then offloads that hour into a fresh catalog (``offload_plane``'s)
and prints one JSON line: seconds of the offload call, rows, and the writer process's peak RSS. As in production,
ClickHouse runs in another process (``serve``: chdb answering each query with ClickHouse's Arrow output over a pipe,
where production has HTTP), so the figure is the writer's own memory.
"""

import json
import resource
import struct
import subprocess
import sys
import time

import pyarrow as pa

from dataplane_job.offload.writer import offload_table
from tests.offload_plane import IcebergPlane, at, step

HOUR_START = "2026-11-21 08:00:00"


def prepare(path: str, rows: int) -> None:
    from chdb import session as chdb_session  # never imported by the measured writer process

    db = chdb_session.Session(path)
    db.query("CREATE DATABASE IF NOT EXISTS trading")
    db.query(
        "CREATE TABLE trading.raw_trades (trade_id String, symbol LowCardinality(String), venue LowCardinality(String), "
        "side Enum8('buy' = 1, 'sell' = 2), price Float64, quantity Float64, event_ts DateTime64(3, 'UTC'), "
        "ingested_at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY (symbol, event_ts)"
    )
    db.query(
        "INSERT INTO trading.raw_trades SELECT toString(generateUUIDv4()), concat('SYM', toString(number % 500)), "
        "['XNAS', 'XNYS', 'BATS'][number % 3 + 1], if(number % 2 = 0, 'buy', 'sell'), 100 + (number % 10000) / 100, "
        f"1 + number % 50, toDateTime64('{HOUR_START}', 3, 'UTC') + toIntervalMillisecond(intDiv(number * 3600000, {rows})), "
        f"toDateTime64('{HOUR_START}', 3, 'UTC') + toIntervalMillisecond(intDiv(number * 3600000, {rows}) + 250) "
        f"FROM numbers({rows})"
    )
    db.close()


def serve(path: str) -> None:
    """Answers each SQL line on stdin with a length-prefixed Arrow IPC stream (ClickHouse's `Arrow` output format)."""
    from chdb import session as chdb_session

    db = chdb_session.Session(path)
    out = sys.stdout.buffer
    for line in sys.stdin:
        body = db.query(json.loads(line), "Arrow").bytes()
        out.write(struct.pack(">Q", len(body)) + body)
        out.flush()


class PipeSource:
    """The writer's ArrowSource over the ``serve`` process: one query at a time, the whole result read back."""

    def __init__(self, path: str):
        self.server = subprocess.Popen(
            [sys.executable, "-m", "tests.bench_offload", "serve", path], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def query_arrow(self, sql: str):
        assert self.server.stdin and self.server.stdout
        self.server.stdin.write((json.dumps(sql) + "\n").encode())
        self.server.stdin.flush()
        (size,) = struct.unpack(">Q", self.server.stdout.read(8))
        return pa.ipc.open_file(pa.py_buffer(self.server.stdout.read(size))).read_all()

    def close(self) -> None:
        self.server.terminate()
        self.server.wait()


def run(path: str) -> None:
    source, plane = PipeSource(path), IcebergPlane()
    spec = step("clickhouse.trading.raw_trades", f"polaris.{plane.namespace}.raw_trades", allowedLatenessHours=0, maxCatchUpHours=2)
    started = time.monotonic()
    # The run at 10:05 writes the closed, lagged hour 08:00 (the watermark of a new table starts 6 h back: empty hours).
    result = offload_table(source, plane.catalog, dict(spec, outageToleranceHours=1), at("2026-11-21 10:05"), "bench")
    seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    written = plane.catalog.load_table((plane.namespace, "raw_trades")).scan().to_arrow().num_rows
    source.close()
    print(json.dumps({"seconds": round(seconds, 2), "rows": result.rows, "written": written, "peak_rss_mib": round(peak_mib)}))
    plane.close()


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        run(sys.argv[2])
