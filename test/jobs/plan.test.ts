import { jobPlan, PlanStep, planTables } from '../../jobs/plan';

const plan = (...steps: PlanStep[]) => jobPlan({ name: 'j', tenant: 'trading' }, steps);

describe('planTables', () => {
  test('lists the tables a plan writes or maintains, without the catalog, once each', () => {
    expect(
      planTables(
        plan(
          {
            type: 'rewrite-data-files',
            table: 'polaris.trading.raw_trades',
            eventTimeColumn: 'event_ts',
            skipRecentHours: 3,
            targetFileSizeBytes: 1,
          },
          { type: 'expire-snapshots', table: 'polaris.trading.raw_trades', retentionHours: 168, retainLast: 24 },
          { type: 'remove-orphan-files', table: 'polaris.trading.bronze_trades', olderThanHours: 72, dryRun: false },
          { type: 'rewrite-manifests', table: 'polaris.trading.silver_trades' },
          {
            type: 'etl',
            source: 'polaris.trading.silver_trades',
            target: 'polaris.trading.gold_ohlcv_1m',
            transform: 'SELECT 1',
            emptySource: 'allow',
          },
          {
            type: 'offload',
            source: 'clickhouse.trading.raw_trades',
            target: 'polaris.trading.raw_trades',
            eventTimeColumn: 'event_ts',
            lagHours: 1,
            allowedLatenessHours: 2,
            outageToleranceHours: 24,
            maxCatchUpHours: 6,
            ttlHours: 72,
            dedup: 'none',
          },
        ),
      ),
    ).toEqual(['trading.raw_trades', 'trading.bronze_trades', 'trading.silver_trades', 'trading.gold_ohlcv_1m']);
  });

  test('reads are left out: an audit or a profile counts only the table it writes its results to', () => {
    expect(
      planTables(
        plan(
          {
            type: 'audit-counts',
            eventTimeColumn: 'event_ts',
            resultTable: 'polaris.trading.offload_audit',
            layers: [
              {
                layer: 'raw',
                warm: 'clickhouse.trading.raw_trades',
                cold: 'polaris.trading.raw_trades',
                lookbackHours: 24,
                skipRecentHours: 3,
              },
            ],
          },
          {
            type: 'profile-table',
            table: 'polaris.trading.raw_trades',
            sampleRows: 10,
            resultTable: 'polaris.trading.profiles',
          },
          { type: 'sql', statements: ['SELECT 1'] },
        ),
      ),
    ).toEqual(['trading.offload_audit', 'trading.profiles']);
  });

  test('a namespace migration covers the listed tables, or the whole target namespace', () => {
    expect(
      planTables(
        plan({ type: 'migrate-namespace', source: 'legacy.trading', target: 'polaris.trading', tables: ['a', 'b'] }),
      ),
    ).toEqual(['trading.a', 'trading.b']);
    expect(
      planTables(plan({ type: 'migrate-namespace', source: 'legacy.trading', target: 'polaris.trading' })),
    ).toEqual(['trading']);
  });
});
