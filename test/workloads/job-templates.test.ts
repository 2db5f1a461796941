import {
  dataProfiling,
  icebergCompact,
  icebergEtl,
  icebergOrphanCleanup,
  icebergRewriteManifests,
  icebergSnapshotExpire,
  offloadAudit,
  schemaMigration,
} from '../../constructs/workloads';

const CLICKHOUSE = {
  host: 'clickhouse.clickhouse.svc.cluster.local',
  port: 8123,
  protocol: 'http' as const,
  database: 'trading',
  credentialsSecret: { name: 'clickhouse-credentials', userKey: 'username', passwordKey: 'password' },
  cidrs: ['10.20.96.0/24'],
};

describe('iceberg-etl', () => {
  test('appends the transform of the source to the target', () => {
    expect(
      icebergEtl({
        source: 'trading.bronze_trades',
        target: 'trading.silver_trades',
        transform: 'SELECT * FROM source WHERE price > 0',
      }),
    ).toEqual({
      steps: [
        {
          type: 'etl',
          source: 'polaris.trading.bronze_trades',
          target: 'polaris.trading.silver_trades',
          transform: 'SELECT * FROM source WHERE price > 0',
          emptySource: 'allow',
        },
      ],
      profile: 'batch-etl',
      labels: { 'dataplane.io/job-template': 'iceberg-etl' },
    });
  });

  test('a window replaces exactly that window', () => {
    const window = { column: 'event_ts', from: '2026-08-01T00:00:00.000Z', to: '2026-08-01T06:00:00.000Z' };
    expect(
      icebergEtl({ source: 'a.b', target: 'a.c', transform: 'SELECT * FROM source', window, failOnEmptySource: true })
        .steps[0],
    ).toMatchObject({ window, emptySource: 'fail' });
  });

  test('rejects a transform that does not read the source', () => {
    expect(() => icebergEtl({ source: 'a.b', target: 'a.c', transform: 'SELECT 1' })).toThrow(
      /'transform' is "SELECT 1"; expected a query that reads the view "source"/,
    );
  });

  test('rejects the same source and target', () => {
    expect(() => icebergEtl({ source: 'a.b', target: 'polaris.a.b', transform: 'SELECT * FROM source' })).toThrow(
      /'target' is "polaris.a.b"; expected a table other than the source/,
    );
  });

  test('rejects table names that are not identifiers', () => {
    expect(() => icebergEtl({ source: 'a.b; DROP', target: 'a.c', transform: 'SELECT * FROM source' })).toThrow(
      /'source' is "a.b; DROP"; expected a table as namespace.table/,
    );
  });

  test('rejects a ClickHouse source without its server', () => {
    expect(() =>
      icebergEtl({ source: 'clickhouse.trading.raw_trades', target: 'a.c', transform: 'SELECT * FROM source' }),
    ).toThrow(/'clickhouse' is \(missing\); expected the ClickHouse server/);
  });

  test('rejects a window that is not whole hours', () => {
    const window = { column: 'event_ts', from: '2026-08-01T00:30:00Z', to: '2026-08-01T06:00:00Z' };
    expect(() => icebergEtl({ source: 'a.b', target: 'a.c', transform: 'SELECT * FROM source', window })).toThrow(
      /expected whole-hour bounds/,
    );
  });
});

describe('iceberg-compact', () => {
  test('rewrites each table to the target size, skipping the newest hours', () => {
    expect(
      icebergCompact({ tables: ['trading.raw_trades', 'trading.bronze_trades'], targetFileSize: '256Mi' }).steps,
    ).toEqual([
      {
        type: 'rewrite-data-files',
        table: 'polaris.trading.raw_trades',
        eventTimeColumn: 'event_ts',
        skipRecentHours: 3,
        targetFileSizeBytes: 268435456,
      },
      {
        type: 'rewrite-data-files',
        table: 'polaris.trading.bronze_trades',
        eventTimeColumn: 'event_ts',
        skipRecentHours: 3,
        targetFileSizeBytes: 268435456,
      },
    ]);
  });

  test('rejects a tiny target file size', () => {
    expect(() => icebergCompact({ tables: ['a.b'], targetFileSize: '100Ki' })).toThrow(
      /'targetFileSize' is "100Ki"; expected a size of at least 1Mi/,
    );
  });

  test('rejects compacting the newest hour', () => {
    expect(() => icebergCompact({ tables: ['a.b'], skipRecentHours: 0 })).toThrow(
      /'skipRecentHours' is 0; expected a whole number >= 1/,
    );
  });

  test('rejects no tables', () => {
    expect(() => icebergCompact({ tables: [] })).toThrow(/'tables' is \[\]; expected at least one table/);
  });
});

describe('iceberg-snapshot-expire', () => {
  test('expires past the retention, keeping the last snapshots', () => {
    expect(icebergSnapshotExpire({ tables: ['trading.raw_trades'], retention: '7d', timeTravel: '7d' }).steps).toEqual([
      { type: 'expire-snapshots', table: 'polaris.trading.raw_trades', retentionHours: 168, retainLast: 24 },
    ]);
  });

  test('rejects a retention under the promised time-travel window', () => {
    expect(() => icebergSnapshotExpire({ tables: ['a.b'], retention: '3d', timeTravel: '7d' })).toThrow(
      /'retention' is "3d"; expected at least the time-travel window the data set promises \(timeTravel 7d\)/,
    );
  });

  test('rejects keeping fewer than a day of offload snapshots', () => {
    expect(() => icebergSnapshotExpire({ tables: ['a.b'], retention: '7d', timeTravel: '7d', retainLast: 5 })).toThrow(
      /'retainLast' is 5; expected at least 24 \(a day of hourly offload snapshots/,
    );
  });

  test('rejects a retention that is not a duration', () => {
    expect(() => icebergSnapshotExpire({ tables: ['a.b'], retention: 'a week', timeTravel: '7d' })).toThrow(
      /'retention' is "a week"; expected a duration/,
    );
  });
});

describe('orphan cleanup and manifest rewrite', () => {
  test('orphan cleanup defaults to 3 days', () => {
    expect(icebergOrphanCleanup({ tables: ['trading.raw_trades'] }).steps).toEqual([
      { type: 'remove-orphan-files', table: 'polaris.trading.raw_trades', olderThanHours: 72, dryRun: false },
    ]);
  });

  test('rejects orphan cleanup under 24 hours', () => {
    expect(() => icebergOrphanCleanup({ tables: ['a.b'], olderThan: '23h' })).toThrow(
      /'olderThan' is "23h"; expected at least 24h/,
    );
  });

  test('manifest rewrite per table', () => {
    expect(icebergRewriteManifests({ tables: ['trading.raw_trades'] }).steps).toEqual([
      { type: 'rewrite-manifests', table: 'polaris.trading.raw_trades' },
    ]);
  });
});

describe('data-profiling', () => {
  test('profiles a sample into the namespace profile table with the profiling profile', () => {
    expect(dataProfiling({ table: 'trading.silver_trades', sampleRows: 100000 })).toEqual({
      steps: [
        {
          type: 'profile-table',
          table: 'polaris.trading.silver_trades',
          sampleRows: 100000,
          resultTable: 'polaris.trading.table_profiles',
        },
      ],
      profile: 'profiling',
      labels: { 'dataplane.io/job-template': 'data-profiling' },
    });
  });

  test('rejects an empty sample', () => {
    expect(() => dataProfiling({ table: 'a.b', sampleRows: 0 })).toThrow(
      /'sampleRows' is 0; expected a whole number >= 1/,
    );
  });
});

describe('schema-migration', () => {
  const glue = {
    name: 'glue',
    conf: { '': 'org.apache.iceberg.spark.SparkCatalog', type: 'glue', warehouse: 's3://old/' },
  };

  test('copies a namespace from the source catalog into Polaris, configuring the source catalog', () => {
    expect(schemaMigration({ sourceCatalog: glue, namespace: 'trading' })).toEqual({
      steps: [{ type: 'migrate-namespace', source: 'glue.trading', target: 'polaris.trading' }],
      profile: 'batch-etl',
      labels: { 'dataplane.io/job-template': 'schema-migration' },
      sparkConf: {
        'spark.sql.catalog.glue': 'org.apache.iceberg.spark.SparkCatalog',
        'spark.sql.catalog.glue.type': 'glue',
        'spark.sql.catalog.glue.warehouse': 's3://old/',
      },
    });
  });

  test('rejects migrating a catalog onto itself', () => {
    expect(() => schemaMigration({ sourceCatalog: { ...glue, name: 'polaris' }, namespace: 'trading' })).toThrow(
      /'sourceCatalog.name' is "polaris"; expected a catalog other than polaris/,
    );
  });

  test('rejects credentials in the source catalog conf', () => {
    expect(() =>
      schemaMigration({
        sourceCatalog: { ...glue, conf: { ...glue.conf, 's3.secret-access-key': 'x' } },
        namespace: 'trading',
      }),
    ).toThrow(/'sourceCatalog.conf.s3.secret-access-key' is "x"; expected no credentials/);
  });

  test('rejects a source catalog without its implementation', () => {
    expect(() =>
      schemaMigration({ sourceCatalog: { name: 'glue', conf: { type: 'glue' } }, namespace: 'trading' }),
    ).toThrow(/expected the catalog implementation under the key ''/);
  });
});

describe('offload audit', () => {
  const layer = { layer: 'raw_trades', clickhouseTable: 'trading.raw_trades', icebergTable: 'trading.raw_trades' };

  test('compares each layer warm against cold over its own window, and reads ClickHouse', () => {
    const template = offloadAudit({
      layers: [
        layer,
        {
          ...layer,
          layer: 'gold_ohlcv_1d',
          clickhouseTable: 'trading.gold_ohlcv_1d',
          icebergTable: 'trading.gold_ohlcv_1d',
          skipRecentHours: 25,
          warmRetentionHours: 72,
        },
      ],
      clickhouse: CLICKHOUSE,
      resultTable: 'trading.offload_audit',
      lookback: '7d',
      skipRecentHours: 3,
    });
    expect(template.steps).toEqual([
      {
        type: 'audit-counts',
        eventTimeColumn: 'event_ts',
        resultTable: 'polaris.trading.offload_audit',
        layers: [
          {
            layer: 'raw_trades',
            warm: 'clickhouse.trading.raw_trades',
            cold: 'polaris.trading.raw_trades',
            lookbackHours: 168,
            skipRecentHours: 3,
          },
          {
            layer: 'gold_ohlcv_1d',
            warm: 'clickhouse.trading.gold_ohlcv_1d',
            cold: 'polaris.trading.gold_ohlcv_1d',
            lookbackHours: 70,
            skipRecentHours: 25,
          },
        ],
      },
    ]);
    expect(template.clickhouse).toBe(CLICKHOUSE);
  });

  test('rejects a look-back inside the skipped hours', () => {
    expect(() =>
      offloadAudit({ layers: [layer], clickhouse: CLICKHOUSE, resultTable: 'n.r', lookback: '2h', skipRecentHours: 3 }),
    ).toThrow(
      /'layers\[0\]' is .*; expected a look-back \(2h, capped at the warm TTL minus 2 h\) longer than the 3 skipped hours/,
    );
  });

  test('rejects a warm TTL too short to compare any hour', () => {
    expect(() =>
      offloadAudit({
        layers: [{ ...layer, warmRetentionHours: 5 }],
        clickhouse: CLICKHOUSE,
        resultTable: 'n.r',
        lookback: '7d',
        skipRecentHours: 3,
      }),
    ).toThrow(/'layers\[0\]' is .*; expected a look-back .* longer than the 3 skipped hours/);
  });
});
