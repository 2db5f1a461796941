import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { loadEnvironment } from '../../config';
import { runBackfill } from '../../scripts/backfill';
import { renderEnvironment } from '../../stacks/k8s';
import { formatFinding, validateObjects } from '../../validation';

const NOW = new Date('2026-08-20T10:30:00Z');

describe('npm run backfill', () => {
  let out: string;
  beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-'))));
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));
  const run = (...args: string[]) => runBackfill([...args, '--out', out], NOW);

  test('writes a SparkApplication replacing the window of the table from ClickHouse', () => {
    const file = run(
      '--env',
      'dev',
      '--table',
      'bronze_trades',
      '--from',
      '2026-08-01T00:00Z',
      '--to',
      '2026-08-02T00:00Z',
    );
    expect(file).toBe(path.join(out, 'dev', 'backfill-bronze-trades-2026080100-2026080200.k8s.yaml'));
    const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'NetworkPolicy', 'SparkApplication']);
    const [configMap, policy, app] = objects;
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.96.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] },
    ]);
    expect(app.metadata.namespace).toBe('trading');
    const groups = [...renderEnvironment(loadEnvironment('dev')), { name: 'backfill', objects }];
    expect(validateObjects(groups, 'dev').findings.map(formatFinding)).toEqual([]);
    const plan = JSON.parse(configMap.data['plan.json']);
    expect(plan.steps).toEqual([
      {
        type: 'etl',
        source: 'clickhouse.trading.bronze_trades',
        target: 'polaris.trading.bronze_trades',
        transform: 'SELECT * FROM source',
        window: { column: 'event_ts', from: '2026-08-01T00:00:00.000Z', to: '2026-08-02T00:00:00.000Z' },
        emptySource: 'fail',
      },
    ]);
    expect(plan.clickhouse).toMatchObject({
      host: 'clickhouse.dev.acme.internal',
      port: 8443,
      protocol: 'https',
      database: 'trading',
    });
    expect(app.spec.driver.env[2]).toEqual({
      name: 'CLICKHOUSE_USER',
      valueFrom: { secretKeyRef: { name: 'clickhouse-offload', key: 'username' } },
    });
    expect(app.spec.driver.env.map((e: any) => e.name)).toEqual([
      'POLARIS_CLIENT_ID',
      'POLARIS_CLIENT_SECRET',
      'CLICKHOUSE_USER',
      'CLICKHOUSE_PASSWORD',
    ]);
  });

  test('a profile can be chosen', () => {
    const file = run(
      '--env',
      'prod',
      '--table',
      'trading.raw_trades',
      '--from',
      '2026-08-01T00:00Z',
      '--to',
      '2026-08-01T06:00Z',
      '--profile',
      'large-scale',
    );
    const app = parseAllDocuments(fs.readFileSync(file, 'utf8'))[2].toJS();
    expect(app.spec.dynamicAllocation.maxExecutors).toBe(12);
  });

  test('missing arguments are all named', () => {
    expect(() => run('--env', 'dev')).toThrow(
      /3 problems[\s\S]*'--table' is missing[\s\S]*'--from' is missing[\s\S]*'--to' is missing/,
    );
  });

  test('an unknown option', () => {
    expect(() => run('--env', 'dev', '--tabel', 'x')).toThrow(/Unknown option '--tabel'.*usage: npm run backfill/);
  });

  test('an unknown environment or profile', () => {
    expect(() =>
      run(
        '--env',
        'qa',
        '--table',
        'raw_trades',
        '--from',
        '2026-08-01T00:00Z',
        '--to',
        '2026-08-01T01:00Z',
        '--profile',
        'huge',
      ),
    ).toThrow(
      /'--env' "qa" is not an environment; expected one of dev, prod, staging[\s\S]*'--profile' "huge" is not a profile/,
    );
  });

  test('an unknown table lists the known ones', () => {
    expect(() =>
      run('--env', 'dev', '--table', 'trades', '--from', '2026-08-01T00:00Z', '--to', '2026-08-01T01:00Z'),
    ).toThrow(
      /'--table' "trades" is not a table the offload of environment dev writes; expected one of trading.raw_trades, trading.bronze_trades/,
    );
  });

  test('bounds that are not instants or not whole hours', () => {
    expect(() =>
      run('--env', 'dev', '--table', 'raw_trades', '--from', '2026-08-01', '--to', '2026-08-01T01:30Z'),
    ).toThrow(/'--from' "2026-08-01" is not an instant[\s\S]*'--to' 2026-08-01T01:30Z is not on a whole hour/);
  });

  test('an empty or reversed window', () => {
    expect(() =>
      run('--env', 'dev', '--table', 'raw_trades', '--from', '2026-08-01T01:00Z', '--to', '2026-08-01T01:00Z'),
    ).toThrow(/'--from' 2026-08-01T01:00Z is not before '--to'/);
  });

  test('a window reaching into hours that have not closed', () => {
    expect(() =>
      run('--env', 'dev', '--table', 'raw_trades', '--from', '2026-08-20T09:00Z', '--to', '2026-08-20T11:00Z'),
    ).toThrow(/'--to' 2026-08-20T11:00Z is after the current hour/);
  });
});
