import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Plane, PlaneError, runningPlane } from '../../scripts/local/plane';
import { planeConfOf, SparkLaunch, sparkLaunches, sparkSubmit, submitOnPlane } from '../../scripts/local/run-job';
import { renderedJobObjects } from '../helpers/rendered-jobs';

// Every job plan the package renders, run the way the Spark Operator runs it (spark-submit of the job package's main
// file with the mounted plan and the SparkApplication's conf) against real Iceberg tables on the local plane: Iceberg
// 1.11 in Spark 4.0, a JDBC catalog on PostgreSQL, S3 on moto. Assertions read Iceberg's own metadata tables.
jest.setTimeout(30 * 60_000);

const HOUR = 3_600_000;
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
type Report = Record<string, TableReport | null>;

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

/** The migration job's conf holds both catalogs (its source and Polaris), so the test's own Spark sees both. */
function lake(mode: 'seed' | 'inspect', spec: Record<string, unknown>): Report {
  const specFile = path.join(work, `${mode}-spec.json`);
  const out = path.join(work, `${mode}-report.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const conf = planeConfOf(plane, launch('migration'), work);
  const result = sparkSubmit(plane, conf, path.join(__dirname, 'lake.py'), [mode, specFile, out]);
  if (result.status !== 0) throw new Error(`lake.py ${mode} failed:\n${tail(result.stderr)}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
}

function runJob(name: string, options: { runAt?: Date; extraConf?: Record<string, string> } = {}) {
  const result = submitOnPlane(plane, launch(name), {
    env: options.runAt ? { DATAPLANE_RUN_AT: options.runAt.toISOString() } : {},
    extraConf: options.extraConf,
  });
  expect({ job: name, status: result.status, stderr: result.status === 0 ? '' : tail(result.stderr) }).toEqual({
    job: name,
    status: 0,
    stderr: '',
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

function tail(text: string | null): string {
  return (text ?? '').trim().split('\n').slice(-25).join('\n');
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

  test('plans that read ClickHouse (audit, backfill) are refused by the plane with one line, before Spark starts', () => {
    const readers = launches.filter((l) => l.plan.clickhouse);
    expect(readers.map((l) => l.name).sort()).toEqual(
      expect.arrayContaining(['trading-audit', expect.stringMatching(/^backfill-/)]),
    );
    for (const reader of readers) {
      expect(() => submitOnPlane(plane, reader)).toThrow(PlaneError);
      expect(() => submitOnPlane(plane, reader)).toThrow(/ClickHouse/);
    }
  });
});
