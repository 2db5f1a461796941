import { Testing } from 'cdk8s';
import { loadEnvironment } from '../../config';
import { TableGroupMaintenance, TableGroupMaintenanceProps } from '../../constructs/workloads';

const env = loadEnvironment('dev');
const PROPS: TableGroupMaintenanceProps = {
  dataset: env.datasets[0],
  image: env.jobs.image,
  catalog: { warehouse: 'lake', realm: 'POLARIS' },
  eventLogBucket: env.storage.eventLogBucket,
};

describe('TableGroupMaintenance', () => {
  const chart = Testing.chart();
  const group = new TableGroupMaintenance(chart, 'trading', PROPS);
  const objects = Testing.synth(chart);
  const scheduled = objects.filter((o) => o.kind === 'ScheduledSparkApplication');

  test('one ScheduledSparkApplication per maintenance job, named after the table group', () => {
    expect(scheduled.map((o) => o.metadata.name)).toEqual([
      'trading-compaction',
      'trading-snapshot-expiry',
      'trading-orphan-cleanup',
      'trading-manifest-rewrite',
      'trading-audit',
    ]);
    expect(scheduled.every((o) => o.metadata.labels['dataplane.io/table-group'] === 'trading')).toBe(true);
    expect(Object.keys(group.jobs)).toEqual(['compaction', 'snapshotExpiry', 'orphanCleanup', 'manifestRewrite', 'audit']);
  });

  test('every job works through all nine tables in order', () => {
    for (const key of ['compaction', 'snapshotExpiry', 'orphanCleanup', 'manifestRewrite'] as const) {
      expect(group.jobs[key].plan.steps.map((s: any) => s.table)).toEqual(env.datasets[0].tables.map((t) => `polaris.trading.${t.name}`));
    }
  });

  test('the audit reads ClickHouse with its Secret and compares every layer', () => {
    const audit = group.jobs.audit.plan;
    expect(audit.clickhouse).toEqual({
      catalog: 'clickhouse',
      host: 'clickhouse.clickhouse.svc.cluster.local',
      port: 8123,
      protocol: 'http',
      database: 'trading',
      credentialEnv: { user: 'CLICKHOUSE_USER', password: 'CLICKHOUSE_PASSWORD' },
    });
    expect(audit.steps[0]).toMatchObject({ type: 'audit-counts', resultTable: 'polaris.trading.offload_audit', lookbackHours: 168, skipRecentHours: 3 });
    expect((audit.steps[0] as any).layers[8]).toEqual({ layer: 'gold_ohlcv_1d', warm: 'clickhouse.trading.gold_ohlcv_1d', cold: 'polaris.trading.gold_ohlcv_1d' });
  });

  describe('rejects unsafe settings at construction', () => {
    const build = (maintenance: any, extra: any = {}) => () =>
      new TableGroupMaintenance(Testing.chart(), 'g', {
        ...PROPS,
        dataset: { ...PROPS.dataset, ...extra, maintenance: { ...PROPS.dataset.maintenance, ...maintenance } },
      });
    const m = PROPS.dataset.maintenance;

    test('orphan cleanup under 24 hours', () => {
      expect(build({ orphanCleanup: { ...m.orphanCleanup, olderThan: '6h' } })).toThrow(/^test\/g: 1 problem\n {2}- 'dataset.maintenance.orphanCleanup.olderThan' is "6h"; expected at least 24h/);
    });

    test('retention under the time-travel window', () => {
      expect(build({}, { timeTravel: '30d' })).toThrow(/'dataset.maintenance.snapshotExpiry.retention' is "7d"; expected at least the time-travel window/);
    });

    test('a run overlapping the offload of the same table', () => {
      expect(build({ manifestRewrite: { schedule: '0 4 * * *', expectedDuration: '10m' } })).toThrow(
        /'dataset.maintenance.manifestRewrite.schedule' is "0 4 \* \* \*"; expected runs clear of offload of trading.raw_trades \(dataset.tables\[0\].offload, Sun 04:05 UTC for 10 min\)/,
      );
    });
  });
});
