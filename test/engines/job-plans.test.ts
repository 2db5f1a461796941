import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Plane, planeCatalogConf, runningPlane } from '../../scripts/local/plane';
import { planeConfOf, SparkLaunch, sparkLaunches, sparkSubmit, submitOnPlane } from '../../scripts/local/run-job';
import { AuditCountsStep, EtlStep } from '../../jobs/plan';
import { renderedJobObjects } from '../helpers/rendered-jobs';
import { runScript } from '../helpers/run-script';

// Every job plan the package renders, run the way the Spark Operator runs it (spark-submit of the job package's main
// file with the mounted plan and the SparkApplication's conf) against real Iceberg tables on the local plane: Iceberg
// 1.11 in Spark 4.0, Iceberg's REST catalog server (over a JDBC catalog on PostgreSQL) handing out the S3 credentials,
// S3 on moto. Assertions read Iceberg's own metadata tables.
jest.setTimeout(30 * 60_000);

const HOUR = 3_600_000;
/** The catalog name the plans read ClickHouse under; on the plane, an Iceberg catalog standing in for it. */
const CLICKHOUSE_CATALOG = 'clickhouse';
const OLD_HOURS_BEFORE_START = 72;
const RECENT_HOURS_BEFORE_START = 1;
const FILES_PER_HOUR = 5;
const EXTRA_SNAPSHOTS = 25;

type TableReport = {
  rows: number;
  columns: string[];
  filesPerPartition: Record<string, number>;
  dataFiles: string[];
  snapshots: number;
  manifests: number;
  partitioning: string[];
  location: string;
};
type Report = Record<string, TableReport | null> & Record<`query:${string}`, Record<string, unknown>[]>;

let plane: Plane;
let launches: SparkLaunch[];
let work: string;
const startHour = Math.floor(Date.now() / HOUR) * HOUR;
const hourKey = (hoursBefore: number) => JSON.stringify({ event_ts_hour: startHour / HOUR - hoursBefore });

const launch = (name: string) => {
  const found = launches.find((l) => l.name === name);
  if (!found) throw new Error(`no rendered job ${name}: ${launches.map((l) => l.name).join(', ')}`);
  return found;
};
const stepTables = (name: string) => launch(name).plan.steps.map((s) => (s as { table: string }).table);

/**
 * The test's own Spark: the migration job's conf (both its catalogs, its Glue source and Polaris) plus the ClickHouse
 * stand-in's catalog, so it sees every table the plans read and write.
 */
function lake(mode: 'seed' | 'inspect', spec: Record<string, unknown>): Report {
  const specFile = path.join(work, `${mode}-spec.json`);
  const out = path.join(work, `${mode}-report.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const conf = { ...planeConfOf(plane, launch('migration'), work), ...planeCatalogConf(plane, CLICKHOUSE_CATALOG) };
  const result = sparkSubmit(plane, conf, path.join(__dirname, 'lake.py'), [mode, specFile, out]);
  // A Python traceback of the driver lands on stdout, Spark's own errors on stderr.
  if (result.status !== 0) throw new Error(`lake.py ${mode} failed:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
}

type RunOptions = { runAt?: Date; extraConf?: Record<string, string> };

/** Runs a rendered job; plans that read ClickHouse run against the stand-in. */
function submitJob(name: string, options: RunOptions = {}) {
  return submitOnPlane(plane, launch(name), {
    env: options.runAt ? { DATAPLANE_RUN_AT: options.runAt.toISOString() } : {},
    extraConf: options.extraConf,
    clickhouseStandIn: true,
  });
}

function runJob(name: string, options: RunOptions = {}) {
  const result = submitJob(name, options);
  const output = result.status === 0 ? '' : `${tail(result.stdout)}\n${tail(result.stderr)}`;
  expect({ job: name, status: result.status, output }).toEqual({
    job: name,
    status: 0,
    output: '',
  });
  return result.stdout;
}

function s3(script: string): string {
  const result = spawnSync(
    plane.spark.python,
    [
      '-c',
      [
        'import boto3, sys',
        `s3 = boto3.client("s3", endpoint_url="${plane.s3.endpoint}", region_name="${plane.s3.region}", aws_access_key_id="${plane.s3.accessKeyId}", aws_secret_access_key="${plane.s3.secretAccessKey}")`,
        script,
      ].join('\n'),
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

const keyOf = (uri: string) => uri.replace(`s3://${plane.s3.bucket}/`, '');
/** Which of these objects exist, in one boto3 call. */
function existing(uris: readonly string[]): string[] {
  const keys = JSON.stringify(uris.map(keyOf));
  const found = s3(
    [
      'import json',
      'def there(key):',
      '    try:',
      `        s3.head_object(Bucket="${plane.s3.bucket}", Key=key)`,
      '        return True',
      '    except Exception:',
      '        return False',
      `print(json.dumps([k for k in json.loads('${keys}') if there(k)]))`,
    ].join('\n'),
  );
  const present = new Set(JSON.parse(found) as string[]);
  return uris.filter((uri) => present.has(keyOf(uri)));
}
const exists = (uri: string) => existing([uri]).length === 1;

/** The end of a Spark process's stderr, without stack frames and INFO lines, so the cause shows. */
function tail(text: string | null): string {
  return (text ?? '')
    .trim()
    .split('\n')
    .filter((line) => !/^\s+(at |\.\.\. \d+ more)|^\S+ \S+ INFO /.test(line))
    .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line))
    .slice(-25)
    .join('\n');
}

const datasetTables = () => stepTables('trading-compaction');
let seeded: Report;

beforeAll(() => {
  const found = runningPlane();
  if (!found) throw new Error('the local plane is not running (test/engines/global-setup.ts starts it)');
  plane = found;
  launches = sparkLaunches(renderedJobObjects());
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-'));
  const tables = datasetTables();
  seeded = lake('seed', {
    startHour: new Date(startHour).toISOString(),
    namespaces: ['polaris.trading', 'glue.trading'],
    drop: [
      ...tables,
      'glue.trading.ref_symbols',
      'polaris.trading.ref_symbols',
      (launch('profiling').plan.steps[0] as { resultTable: string }).resultTable,
    ],
    tables: [
      ...tables.map((name) => ({
        name,
        hoursBeforeStart: [OLD_HOURS_BEFORE_START, RECENT_HOURS_BEFORE_START],
        rowsPerHour: 40,
        filesPerHour: FILES_PER_HOUR,
        // One table gets more snapshots than the expiry keeps.
        extraSnapshots: name === tables[0] ? EXTRA_SNAPSHOTS : 0,
      })),
      {
        name: 'glue.trading.ref_symbols',
        hoursBeforeStart: [5],
        rowsPerHour: 12,
        filesPerHour: 2,
        partitionedBy: 'symbol',
      },
    ],
    inspect: [...tables, 'glue.trading.ref_symbols'],
  });
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the rendered job plans on real Spark and Iceberg', () => {
  test('seeded tables hold the files and snapshots the maintenance plans act on', () => {
    const first = seeded[datasetTables()[0]]!;
    expect(first.filesPerPartition[hourKey(OLD_HOURS_BEFORE_START)]).toBe(FILES_PER_HOUR + EXTRA_SNAPSHOTS);
    expect(first.snapshots).toBe(1 + EXTRA_SNAPSHOTS);
  });

  test('compaction rewrites the old hours of every table into one file and leaves the recent hours; the manifest rewrite merges manifests', () => {
    const compaction = runJob('trading-compaction');
    const manifests = runJob('trading-manifest-rewrite');
    const after = lake('inspect', { inspect: datasetTables() });
    for (const table of datasetTables()) {
      const before = seeded[table]!;
      const now = after[table]!;
      expect({ table, rows: now.rows }).toEqual({ table, rows: before.rows });
      expect(before.filesPerPartition[hourKey(OLD_HOURS_BEFORE_START)]).toBeGreaterThanOrEqual(FILES_PER_HOUR);
      expect({ table, old: now.filesPerPartition[hourKey(OLD_HOURS_BEFORE_START)] }).toEqual({ table, old: 1 });
      // skipRecentHours: the offload may still rewrite those hours.
      expect({ table, recent: now.filesPerPartition[hourKey(RECENT_HOURS_BEFORE_START)] }).toEqual({
        table,
        recent: before.filesPerPartition[hourKey(RECENT_HOURS_BEFORE_START)],
      });
      expect({ table, manifests: now.manifests }).toEqual({ table, manifests: 1 });
    }
    expect(compaction).toMatch(/'rewritten_data_files_count': \d+/);
    expect(manifests).toMatch(/'rewritten_manifests_count': \d+/);
  });

  test('snapshot expiry a week later keeps retainLast snapshots; orphan cleanup days later deletes only unreferenced files', () => {
    const before = lake('inspect', { inspect: datasetTables() });
    const expiry = launch('trading-snapshot-expiry').plan.steps[0] as { retentionHours: number; retainLast: number };
    runJob('trading-snapshot-expiry', { runAt: new Date(Date.now() + (expiry.retentionHours + 2) * HOUR) });

    const first = datasetTables()[0];
    const orphan = `${before[first]!.location}/data/event_ts_hour=0/orphan-from-a-failed-write.parquet`;
    s3(`s3.put_object(Bucket="${plane.s3.bucket}", Key="${keyOf(orphan)}", Body=b"not committed")`);
    expect(exists(orphan)).toBe(true);
    const cleanup = launch('trading-orphan-cleanup').plan.steps[0] as { olderThanHours: number };
    // Iceberg refuses an older_than within 24 h of its own clock; spark.testing lifts that for a run dated ahead.
    const orphans = runJob('trading-orphan-cleanup', {
      runAt: new Date(Date.now() + (cleanup.olderThanHours + 2) * HOUR),
      extraConf: { 'spark.testing': 'true' },
    });

    const after = lake('inspect', { inspect: datasetTables() });
    for (const table of datasetTables()) {
      const was = before[table]!;
      const now = after[table]!;
      expect({ table, snapshots: now.snapshots }).toEqual({
        table,
        snapshots: Math.min(was.snapshots, expiry.retainLast),
      });
      expect({ table, rows: now.rows }).toEqual({ table, rows: was.rows });
      expect(existing(now.dataFiles)).toEqual(now.dataFiles);
    }
    expect(before[first]!.snapshots).toBeGreaterThan(expiry.retainLast);
    expect(exists(orphan)).toBe(false);
    expect(orphans).toContain('orphan-from-a-failed-write.parquet');
  });

  test('ETL appends its transform of the source; profiling writes one row per column; migration copies rows and partitioning', () => {
    const [bronze, silver] = ['polaris.trading.bronze_trades', 'polaris.trading.silver_trades'];
    const profile = launch('profiling').plan.steps[0] as { resultTable: string };
    const migrated = 'polaris.trading.ref_symbols';
    const before = lake('inspect', { inspect: [bronze, silver, 'glue.trading.ref_symbols'] });
    runJob('etl');
    runJob('profiling');
    runJob('migration');
    const after = lake('inspect', { inspect: [silver, profile.resultTable, migrated] });

    expect(after[silver]!.rows).toBe(before[silver]!.rows + before[bronze]!.rows);
    expect(after[profile.resultTable]!.rows).toBe(after[silver]!.columns.length);
    expect(after[migrated]!.rows).toBe(before['glue.trading.ref_symbols']!.rows);
    expect(after[migrated]!.partitioning).toEqual(before['glue.trading.ref_symbols']!.partitioning);
    expect(after[migrated]!.partitioning.length).toBeGreaterThan(0);
  });

  test('npm run job -- render <template> --local runs the rendered template job on the plane instead of writing it', () => {
    const run = runScript('scripts/job.ts', [
      ...['render', 'iceberg-compact', '--env', 'dev', '--tenant', 'trading'],
      ...['--set', `tables=${datasetTables()[0].replace(/^polaris\./, '')}`, '--local'],
    ]);
    expect({ status: run.status, stderr: run.status === 0 ? '' : tail(run.stderr) }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^local: running \S+ on the local plane \(1 steps\)$/m);
    expect(run.stdout).toMatch(/'rewritten_data_files_count': \d+/);
  });
});

// STAND-IN: no ClickHouse server can be had here (see the offload issue), so the ClickHouse catalog these plans read is
// an Iceberg catalog of the same name on the plane holding the warm rows (SubmitOptions.clickhouseStandIn). What this
// shows is real Spark and Iceberg: the steps' SQL, the audit's result table and failure, the backfill's overwrite of
// whole hours. What it cannot show is the ClickHouse connector's reads (FINAL, type mapping).
describe('the plans that read ClickHouse, against the ClickHouse stand-in', () => {
  const ts = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;

  test('the audit records every layer-hour it compares and passes when both sides agree; a warm hour short of rows fails it, naming layer and hour', () => {
    const audit = launch('trading-audit').plan.steps[0] as AuditCountsStep;
    expect(audit.layers.every((l) => l.warm.startsWith(`${CLICKHOUSE_CATALOG}.`))).toBe(true);
    // The warm side starts as a copy of the cold side: every count agrees.
    lake('seed', {
      namespaces: [`${CLICKHOUSE_CATALOG}.trading`],
      drop: [audit.resultTable, ...audit.layers.map((l) => l.warm)],
      sql: audit.layers.map((l) => `CREATE TABLE ${l.warm} USING iceberg AS SELECT * FROM ${l.cold}`),
    });
    runJob('trading-audit');
    const perLayer = `SELECT layer, count(*) AS hours, sum(CASE WHEN matches THEN 0 ELSE 1 END) AS mismatches FROM ${audit.resultTable} GROUP BY layer`;
    const agreed = lake('inspect', { queries: { perLayer } })['query:perLayer'];
    // The old seeded hour lies inside the gold layers' 166 h lookback (not the raw layers' 70 h).
    const gold = audit.layers.filter(
      (l) => l.lookbackHours > OLD_HOURS_BEFORE_START && l.skipRecentHours < OLD_HOURS_BEFORE_START,
    );
    expect(gold.length).toBeGreaterThan(0);
    expect(agreed.map((r) => r.layer).sort()).toEqual(expect.arrayContaining(gold.map((l) => l.layer)));
    expect(agreed.filter((r) => Number(r.mismatches) !== 0)).toEqual([]);

    // One warm hour loses its rows: the audit fails and names it, and the result table keeps the mismatch.
    const short = gold[gold.length - 1];
    const hour = startHour - OLD_HOURS_BEFORE_START * HOUR;
    lake('seed', {
      sql: [`DELETE FROM ${short.warm} WHERE event_ts >= ${ts(hour)} AND event_ts < ${ts(hour + HOUR)}`],
    });
    const failed = submitJob('trading-audit');
    const label = `${short.layer} ${new Date(hour).toISOString().slice(0, 13).replace('T', ' ')}:00: ClickHouse 0, Iceberg`;
    // spark-submit passes the Python driver's stderr on through its stdout.
    const said = `${failed.stdout}${failed.stderr}`;
    expect({ status: failed.status, named: said.includes(`error: `) && said.includes(label) }).toEqual({
      status: 1,
      named: true,
    });
    const after = lake('inspect', { queries: { perLayer } })['query:perLayer'];
    expect(after.find((r) => r.layer === short.layer)?.mismatches).toBe(1);
  });

  test("the backfill replaces exactly its window's hours of the Iceberg table with the warm rows and leaves every other hour", () => {
    const name = launches.find((l) => l.name.startsWith('backfill-'))!.name;
    const step = launch(name).plan.steps[0] as EtlStep;
    const [from, to] = [Date.parse(step.window!.from), Date.parse(step.window!.to)];
    const windowHours = (to - from) / HOUR;
    const inWindow = `event_ts >= ${ts(from)} AND event_ts < ${ts(to)}`;
    const count = (table: string, where: string) => `SELECT count(*) AS n FROM ${table} WHERE ${where}`;
    // Warm: ten rows an hour from the hour before the window (its oldest retained row) to the window's end.
    // Cold: three stale rows an hour inside the window, and five rows two hours after it that must stay.
    lake('seed', {
      namespaces: [`${CLICKHOUSE_CATALOG}.trading`],
      drop: [step.source],
      sql: [
        `CREATE TABLE ${step.source} USING iceberg AS SELECT * FROM ${step.target} LIMIT 0`,
        `INSERT INTO ${step.source} SELECT 900000 + id, 'W', 1.0, ${ts(from - HOUR)} + make_interval(0, 0, 0, 0, 0, CAST(id * 6 AS INT), 0) FROM range(${(windowHours + 1) * 10})`,
        `INSERT INTO ${step.target} SELECT 800000 + h.id * 3 + r.id, 'STALE', 2.0, ${ts(from)} + make_interval(0, 0, 0, 0, CAST(h.id AS INT), 0, 0) FROM range(${windowHours}) AS h CROSS JOIN range(3) AS r`,
        `INSERT INTO ${step.target} SELECT 700000 + id, 'KEEP', 3.0, ${ts(to + 2 * HOUR)} FROM range(5)`,
      ],
    });
    const queries = {
      window: count(step.target, inWindow),
      stale: count(step.target, "symbol = 'STALE'"),
      kept: count(step.target, "symbol = 'KEEP'"),
      outside: count(step.target, `NOT (${inWindow})`),
      warm: count(step.source, inWindow),
      perHour: `SELECT date_trunc('HOUR', event_ts) AS hour, count(*) AS n FROM ${step.target} WHERE ${inWindow} GROUP BY 1`,
    };
    const before = lake('inspect', { queries });
    runJob(name, { runAt: new Date(to + 18 * HOUR) });
    const after = lake('inspect', { queries });
    const n = (report: Report, key: keyof typeof queries) => Number(report[`query:${key}`][0].n);

    expect(n(before, 'stale')).toBe(3 * windowHours);
    expect(n(after, 'window')).toBe(n(before, 'warm'));
    expect(n(after, 'window')).toBe(10 * windowHours);
    expect(n(after, 'stale')).toBe(0);
    expect(n(after, 'kept')).toBe(5);
    expect(n(after, 'outside')).toBe(n(before, 'outside'));
    expect(after['query:perHour'].map((r) => Number(r.n))).toEqual(Array(windowHours).fill(10));
  });
});
