import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { renderEnvironment, writeEnvironment } from '../../stacks/k8s';
import { formatFinding, validateDirectory } from '../../validation';
import { ADR_LAYERS } from './helpers';

/** What `npm run synth` writes, read back from the files, and what the strict validator finds in those files. */
function synthesized(envName: string): { objects: any[]; findings: string[] } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  try {
    writeEnvironment(out, envName, renderEnvironment(loadEnvironment(envName)));
    const objects = parseAllDocuments(fs.readFileSync(path.join(out, envName, 'workloads.k8s.yaml'), 'utf8')).map((d) =>
      d.toJS(),
    );
    return { objects, findings: validateDirectory(out, [envName]).findings.map(formatFinding) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe.each(ENVIRONMENT_NAMES)('dist/%s/workloads.k8s.yaml', (envName) => {
  const { objects, findings } = synthesized(envName);
  const scheduled: Record<string, any> = Object.fromEntries(
    objects.filter((o) => o.kind === 'ScheduledSparkApplication').map((o) => [o.metadata.name, o]),
  );
  const offloads = objects.filter((o) => o.kind === 'CronJob' && o.metadata.name.startsWith('offload-'));
  const plan = (name: string) =>
    JSON.parse(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${name}-plan`).data['plan.json']);

  test('has the ADR maintenance schedule of the trading table group, in UTC', () => {
    expect(
      Object.fromEntries(
        Object.entries(scheduled).map(([name, o]) => [
          name,
          [o.spec.schedule, o.spec.timeZone, o.spec.concurrencyPolicy],
        ]),
      ),
    ).toEqual({
      'trading-compaction': ['0 2 * * *', 'UTC', 'Forbid'],
      'trading-snapshot-expiry': ['20 2 * * *', 'UTC', 'Forbid'],
      'trading-orphan-cleanup': ['20 3 * * 6', 'UTC', 'Forbid'],
      'trading-manifest-rewrite': ['30 4 * * *', 'UTC', 'Forbid'],
      'trading-audit': ['0 3 * * 0', 'UTC', 'Forbid'],
    });
  });

  test('next to the ADR offload minutes (raw :05, bronze :06, silver :07, gold :09)', () => {
    expect(offloads.map((o) => o.spec.schedule)).toEqual(['5 * * * *', '6 * * * *', '7 * * * *', '9 * * * *']);
  });

  test("compaction skips the hours the offload still rewrites (lag 1 h + the daily bars' 24 h lateness); expiry keeps 7 days and 24 snapshots; orphans older than 3 days", () => {
    expect(plan('trading-compaction').steps[0]).toEqual({
      type: 'rewrite-data-files',
      table: 'polaris.trading.raw_trades',
      eventTimeColumn: 'event_ts',
      skipRecentHours: 25,
      targetFileSizeBytes: 536870912,
    });
    expect(plan('trading-snapshot-expiry').steps[0]).toEqual({
      type: 'expire-snapshots',
      table: 'polaris.trading.raw_trades',
      retentionHours: 168,
      retainLast: 24,
    });
    expect(plan('trading-orphan-cleanup').steps[0]).toEqual({
      type: 'remove-orphan-files',
      table: 'polaris.trading.raw_trades',
      olderThanHours: 72,
      dryRun: false,
    });
    expect(plan('trading-manifest-rewrite').steps).toHaveLength(9);
    expect(plan('trading-audit').steps[0].layers.map((l: any) => l.layer)).toEqual(ADR_LAYERS);
  });

  test('validates strictly (Spark Operator CRDs, webhook and API-server rules) with the rest of the environment', () => {
    expect(Object.keys(scheduled)).toHaveLength(5);
    expect(findings).toEqual([]);
  });

  test('names leave room for the run timestamp (at most 43 characters)', () => {
    for (const name of Object.keys(scheduled)) expect(name.length).toBeLessThanOrEqual(43);
  });
});
