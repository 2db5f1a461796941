import { Testing } from 'cdk8s';
import { loadEnvironment } from '../../config';
import { OffloadedTable, TableGroupMaintenance, TableGroupMaintenanceProps } from '../../constructs/workloads';

const env = loadEnvironment('dev');
const dataset = env.datasets[0];

/** The ADR offload timing: raw :05, bronze :06, silver :07, gold :09; lag 1 h, lateness 2 h (24 h for daily bars). */
const OFFLOADED: OffloadedTable[] = dataset.tables.map((table, i) => ({
  table,
  warm: `trading.${table}`,
  eventTimeColumn: 'event_ts',
  schedule: `${[5, 6, 7][i] ?? 9} * * * *`,
  expectedRuntimeMinutes: 15,
  lagHours: 1,
  allowedLatenessHours: table === 'gold_ohlcv_1d' ? 24 : 2,
  warmRetentionHours: table.startsWith('gold') ? 168 : 72,
  dedup: 'none',
  source: `offload(${table})`,
}));

const PROPS: TableGroupMaintenanceProps = {
  dataset,
  image: env.jobs.image,
  catalog: { warehouse: 'lake', realm: 'POLARIS' },
  eventLogBucket: env.storage.eventLogBucket,
  offload: {
    clickhouse: {
      host: 'ch.internal',
      port: 8443,
      protocol: 'https',
      credentialsSecret: { name: 'clickhouse-offload', userKey: 'username', passwordKey: 'password' },
      cidrs: ['10.20.96.0/24'],
    },
    tables: OFFLOADED,
  },
};

describe('TableGroupMaintenance', () => {
  const chart = Testing.chart();
  const group = new TableGroupMaintenance(chart, 'trading', PROPS);
  const scheduled = Testing.synth(chart).filter((o) => o.kind === 'ScheduledSparkApplication');
  const plan = (key: keyof typeof group.jobs) => group.jobs[key]!.plan;

  test('one ScheduledSparkApplication per maintenance job, named after the table group, with its expected run time', () => {
    expect(
      scheduled.map((o) => [o.metadata.name, o.metadata.annotations['dataplane.io/expected-runtime-minutes']]),
    ).toEqual([
      ['trading-compaction', '20'],
      ['trading-snapshot-expiry', '30'],
      ['trading-orphan-cleanup', '40'],
      ['trading-manifest-rewrite', '20'],
      ['trading-audit', '45'],
    ]);
    expect(scheduled.every((o) => o.metadata.labels['dataplane.io/table-group'] === 'trading')).toBe(true);
  });

  test('every job works through all nine tables in order', () => {
    for (const key of ['compaction', 'snapshotExpiry', 'orphanCleanup', 'manifestRewrite'] as const) {
      expect(plan(key).steps.map((s: any) => s.table)).toEqual(dataset.tables.map((t) => `polaris.trading.${t}`));
    }
  });

  test("compaction skips the hours the offload may still rewrite (lag + the daily bars' 24 h lateness)", () => {
    expect(plan('compaction').steps[0]).toMatchObject({ skipRecentHours: 25 });
  });

  test('the audit compares each layer over the hours ClickHouse still holds and the offload no longer rewrites', () => {
    const audit = plan('audit');
    expect(audit.clickhouse).toEqual({
      catalog: 'clickhouse',
      host: 'ch.internal',
      port: 8443,
      protocol: 'https',
      database: 'trading',
      credentialEnv: { user: 'CLICKHOUSE_USER', password: 'CLICKHOUSE_PASSWORD' },
    });
    const layers = (audit.steps[0] as any).layers;
    expect(layers[0]).toEqual({
      layer: 'raw_trades',
      warm: 'clickhouse.trading.raw_trades',
      cold: 'polaris.trading.raw_trades',
      lookbackHours: 70,
      skipRecentHours: 3,
    });
    expect(layers[8]).toEqual({
      layer: 'gold_ohlcv_1d',
      warm: 'clickhouse.trading.gold_ohlcv_1d',
      cold: 'polaris.trading.gold_ohlcv_1d',
      lookbackHours: 166,
      skipRecentHours: 25,
    });
  });

  test('only the audit may reach ClickHouse', () => {
    const policies = Testing.synth(chart).filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => [p.metadata.name, p.spec.podSelector.matchLabels])).toEqual([
      ['trading-audit-clickhouse', { 'dataplane.io/spark-job': 'trading-audit' }],
    ]);
  });

  test('without an offload there is nothing to audit', () => {
    const alone = new TableGroupMaintenance(Testing.chart(), 'g', { ...PROPS, offload: undefined });
    expect(Object.keys(alone.jobs)).toEqual(['compaction', 'snapshotExpiry', 'orphanCleanup', 'manifestRewrite']);
    expect(alone.jobs.compaction!.plan.steps[0]).toMatchObject({ skipRecentHours: 3 });
  });

  describe('rejects unsafe settings at construction', () => {
    const build =
      (maintenance: any, extra: Partial<TableGroupMaintenanceProps> = {}, datasetExtra: any = {}) =>
      () =>
        new TableGroupMaintenance(Testing.chart(), 'g', {
          ...PROPS,
          ...extra,
          dataset: { ...dataset, ...datasetExtra, maintenance: { ...dataset.maintenance, ...maintenance } },
        });
    const m = dataset.maintenance;

    test('orphan cleanup under 24 hours, which also reaches into the hours the offload rewrites', () => {
      expect(build({ orphanCleanup: { ...m.orphanCleanup, olderThan: '6h' } })).toThrow(
        /^test\/g: 2 problems\n {2}- 'dataset.maintenance.orphanCleanup.olderThan' is "6h"; expected at least 24h[^\n]*\n {2}- 'dataset.maintenance.orphanCleanup.schedule' is "20 3 \* \* 6"; expected runs clear of offload of trading.gold_ohlcv_1d/,
      );
    });

    test('retention under the time-travel window', () => {
      expect(build({}, {}, { timeTravel: '30d' })).toThrow(
        /'dataset.maintenance.snapshotExpiry.retention' is "7d"; expected at least the time-travel window/,
      );
    });

    test('a whole-table rewrite overlapping the offload of the same table', () => {
      expect(build({ manifestRewrite: { schedule: '15 4 * * *', expectedDuration: '20m' } })).toThrow(
        /'dataset.maintenance.manifestRewrite.schedule' is "15 4 \* \* \*"; expected runs clear of offload of trading.raw_trades \(offload\(raw_trades\), Mon 04:05 UTC for 15 min\): its run at Mon 04:15 UTC is expected to take 20 min \(9 overlapping runs in all\)/,
      );
    });

    test('snapshot expiry may run alongside an offload: it only deletes files older than the retention', () => {
      expect(build({ snapshotExpiry: { ...m.snapshotExpiry, expectedDuration: '60m' } })).not.toThrow();
    });

    test('an offload cutting hours on another column', () => {
      const other = [{ ...OFFLOADED[0], eventTimeColumn: 'ingested_at' }];
      expect(build({}, { offload: { ...PROPS.offload!, tables: other } })).toThrow(
        /'dataset.eventTimeColumn' is "event_ts"; expected the event-time column "ingested_at" the offload of raw_trades \(offload\(raw_trades\)\) cuts hours on/,
      );
    });
  });
});
