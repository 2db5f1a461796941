import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ConfigError, environmentsDir, loadEnvironment, parseEnvironment, VERSIONS } from '../../config';
import { ADR_LAYERS } from './helpers';

const DEV = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8');

/** The dev environment with `change` applied to its first data set. */
function devWith(change: (dataset: any, env: any) => void) {
  const env = parseDocument(DEV).toJS();
  change(env.datasets[0], env);
  return () => parseEnvironment(JSON.stringify(env), 'environments/dev.yaml', 'dev');
}

describe('the datasets section', () => {
  test('the default environments define the ADR trading data set, owned by trading, hourly-partitioned by event_ts', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const [dataset] = loadEnvironment(name).datasets;
      expect(dataset.tenant).toBe('trading');
      expect(dataset.namespace).toBe('trading');
      expect(dataset.eventTimeColumn).toBe('event_ts');
      expect(dataset.timeTravel).toBe('7d');
      expect(dataset.tables).toEqual(ADR_LAYERS);
    }
  });

  test('maintenance defaults are the ADR schedule', () => {
    const m = loadEnvironment('dev').datasets[0].maintenance;
    expect(m.compaction).toEqual({
      schedule: '0 2 * * *',
      expectedDuration: '20m',
      skipRecentHours: 3,
      targetFileSize: '512Mi',
    });
    expect(m.snapshotExpiry).toEqual({
      schedule: '20 2 * * *',
      expectedDuration: '30m',
      retention: '7d',
      retainLast: 24,
    });
    expect(m.orphanCleanup).toEqual({ schedule: '20 3 * * 6', expectedDuration: '40m', olderThan: '3d' });
    expect(m.manifestRewrite).toEqual({ schedule: '30 4 * * *', expectedDuration: '20m' });
    expect(m.audit).toEqual({
      schedule: '0 3 * * 0',
      expectedDuration: '45m',
      lookback: '7d',
      skipRecentHours: 3,
      table: 'offload_audit',
    });
  });

  test('jobs.image is pinned, and defaults to the pinned Spark runtime', () => {
    expect(loadEnvironment('dev').jobs.image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-runtime:0.1.0');
    expect(devWith((_, env) => delete env.jobs)().jobs.image).toBe(VERSIONS.platformImages.sparkRuntime);
    expect(devWith((_, env) => (env.jobs.image = 'ghcr.io/acme/dataplane-jobs:latest'))).toThrow(
      /'jobs.image' is "ghcr.io\/acme\/dataplane-jobs:latest"; expected a pinned tag rather than latest/,
    );
    expect(devWith((_, env) => (env.jobs.image = 'ghcr.io/acme/dataplane-jobs'))).toThrow(
      /'jobs.image' .*; expected an image reference with a pinned tag or digest/,
    );
  });
});

describe('unsafe settings are rejected with the file and key path', () => {
  test('orphan cleanup under 24 hours', () => {
    expect(devWith((d) => (d.maintenance = { orphanCleanup: { olderThan: '12h' } }))).toThrow(
      /environments\/dev.yaml: 1 problem\n {2}- environments\/dev.yaml:1: 'datasets\[0\].maintenance.orphanCleanup.olderThan' is "12h"; expected at least 24h/,
    );
  });

  test('snapshot retention under the promised time-travel window (the default retention counts)', () => {
    expect(devWith((d) => (d.timeTravel = '14d'))).toThrow(
      /'datasets\[0\].maintenance.snapshotExpiry.retention' is "7d" \(the default\); expected at least the time-travel window the data set promises \(timeTravel 14d\)/,
    );
  });

  test('too few snapshots kept', () => {
    expect(devWith((d) => (d.maintenance = { snapshotExpiry: { retainLast: 2 } }))).toThrow(
      /'datasets\[0\].maintenance.snapshotExpiry.retainLast' is 2; expected at least 24/,
    );
  });

  test('a maintenance schedule that does not repeat weekly', () => {
    expect(devWith((d) => (d.maintenance = { manifestRewrite: { schedule: '0 4 1 * *' } }))).toThrow(
      /'datasets\[0\].maintenance.manifestRewrite.schedule' is "0 4 1 \* \*"; expected a schedule that repeats every week/,
    );
  });

  test('a data set owned by an unknown tenant', () => {
    expect(devWith((d) => (d.tenant = 'risk'))).toThrow(
      /'datasets\[0\].tenant' is "risk"; expected one of the tenants \(trading, analytics\)/,
    );
  });

  test('a table listed twice', () => {
    expect(devWith((d) => d.tables.push('raw_trades'))).toThrow(
      /'datasets\[0\].tables\[9\]' is "raw_trades"; expected a table name not already listed/,
    );
  });

  test('a table in two data sets', () => {
    expect(devWith((d, env) => env.datasets.push({ ...d, name: 'copy', tables: ['gold_ohlcv_1d'] }))).toThrow(
      /'datasets\[1\].tables\[0\]' is "gold_ohlcv_1d"; expected a table not already maintained by datasets\[0\]/,
    );
  });

  test('every problem at once', () => {
    const load = devWith(
      (d) => (d.maintenance = { orphanCleanup: { olderThan: '1h' }, snapshotExpiry: { retainLast: 1 } }),
    );
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/2 problems/);
  });
});
