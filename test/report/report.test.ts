import { loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import { ReportError } from '../../stacks/report';
import { formatWeekMinute, parseCronSchedule, weeklyStarts } from '../../config';
import { BATCH_BUDGET, budgetCheck, buildReport, num, renderHtml, summaryText, weekRuns } from '../../stacks/report';
import { compaction, smallCharts, smallEnvironment } from './fixture';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const helmServices = [
  {
    name: 'spark-operator',
    namespace: 'spark-operator',
    source: 'Helm values',
    replicas: 1,
    cpu: 0.1,
    memory: 256 * MiB,
  },
];
const overCommitted = () =>
  buildReport(smallEnvironment({ maxCpu: '12', maxMemory: '48Gi' }), smallCharts(), { helmServices });

/** Week minutes of a schedule given as text. */
const starts = (spec: string, timeZone?: string) => weeklyStarts(parseCronSchedule(spec), timeZone);

describe('cron expansion over the reference week (Mon 2026-01-05 UTC)', () => {
  test('steps, names, ranges and the day-of-month / day-of-week rule', () => {
    expect(starts('*/15 * * * *')).toHaveLength(4 * 24 * 7);
    expect(starts('0 3 * * SUN').map(formatWeekMinute)).toEqual(['Sun 03:00']);
    expect(starts('0 9 * * MON-FRI')).toHaveLength(5);
    // Both day fields restricted: either matches (5 January is a Monday; Wednesday is the 7th).
    expect(starts('0 0 5 * WED').map(formatWeekMinute)).toEqual(['Mon 00:00', 'Wed 00:00']);
    // A stepped `*` is a restriction for robfig/cron, so the day fields combine with "or": odd days (5, 7, 9, 11) or Sunday.
    expect(starts('0 0 */2 * SUN').map(formatWeekMinute)).toEqual(['Mon 00:00', 'Wed 00:00', 'Fri 00:00', 'Sun 00:00']);
    expect(starts('@monthly')).toEqual([]);
  });

  test('the schedule is read in spec.timeZone', () => {
    // Berlin is UTC+1 in January.
    expect(starts('0 2 * * MON', 'Europe/Berlin').map(formatWeekMinute)).toEqual(['Mon 01:00']);
  });

  test('invalid expressions are rejected as robfig/cron words it', () => {
    expect(() => starts('61 * * * *')).toThrow('end of range (61) above maximum (59): 61');
    expect(() => starts('* * *')).toThrow('expected exactly 5 fields, found 3: [* * *]');
  });
});

describe('figures of a small environment, against hand-computed ones', () => {
  const report = overCommitted();

  test('per-run resources: Spark memory plus overhead, executors, CronJob requests', () => {
    const job = (name: string) => report.jobs.find((j) => j.name === name)!;
    // JVM: driver 2g + max(384Mi, 10%) = 2.375 GiB; executors 2 x (4g + 409.6Mi) = 8.8 GiB; 1 + 2 x 2 cores.
    expect(job('compact-trades').cpu).toBe(5);
    expect(job('compact-trades').memory / GiB).toBeCloseTo(11.175, 9);
    // Python: 40% overhead; dynamic allocation counted at maxExecutors = 3: 4 pods of 1g + 409.6Mi.
    expect(job('audit-trades').cpu).toBe(4);
    expect(job('audit-trades').memory / GiB).toBeCloseTo(5.6, 9);
    expect(job('offload-trades').cpu).toBe(0.5);
    expect(job('offload-trades').memory).toBe(GiB);
    expect(report.runs).toHaveLength(7 + 24 * 7 + 1);
  });

  test('CPU-hours and memory-hours per day, peak, busy hours and the saving', () => {
    const u = report.usage;
    // Weekly: compaction 7 x 5 x 1 h = 35, offload 168 x 0.5 x 1/6 h = 14, audit 4 x 0.5 h = 2 -> 51 CPU-h.
    expect(u.perDay.cpuHours).toBeCloseTo(51 / 7, 9);
    // Weekly: 7 x 11.175 + 168 x 1/6 + 5.6 x 0.5 = 109.025 GiB-h.
    expect(u.perDay.memoryGiBHours).toBeCloseTo(109.025 / 7, 9);
    expect(u.byDay[0].cpuHours).toBeCloseTo(7, 9);
    expect(u.byDay[6].cpuHours).toBeCloseTo(9, 9);
    // 02:30-02:40 every day: compaction and offload together.
    expect(u.peak.cpu).toBe(5.5);
    expect(u.peak.memory / GiB).toBeCloseTo(12.175, 9);
    expect(u.alwaysOnSparkPerDay.cpuHours).toBe(132);
    // Busy minutes: 60 + 240 - 10 (shared) per day, plus 30 on Sunday = 2060 a week.
    expect(u.busyHoursPerDay).toBeCloseTo(2060 / 7 / 60, 9);
    expect(u.saving.cpu).toBeCloseTo(1 - 51 / 7 / 132, 9);
    expect(u.saving.memory).toBeCloseTo(1 - 15.575 / 292.2, 9);
    // 2 x m6i.large, plus the History Server Deployment (250m / 512Mi) and the Helm-installed operator (100m / 256Mi).
    expect(u.systemNodes).toEqual({ instanceType: 'm6i.large', nodes: 2, cpu: 4, memory: 16 * GiB });
    expect(u.serviceRequests.cpu).toBeCloseTo(0.35, 9);
    expect(u.serviceRequests.memory).toBe(768 * MiB);
    expect(summaryText(report)).toContain(
      'saving: always-on 5.5 CPU / 12.2 GiB vs batch-only 1.49 CPU / 3.2 GiB, ~4.9 h/day: 94.5% fewer CPU-hours (7.3 vs 132 CPU-h/day), 94.7% fewer memory-hours',
    );
  });

  test('jobs whose windows intersect on the same table and the same tenant queue are flagged, touching windows are not', () => {
    const found = report.overlaps.map((o) => ({
      reason: o.reason,
      on: o.on,
      jobs: [o.first.name, o.second.name],
      times: o.pairs.length,
    }));
    // The audit (Sun 03:00-03:30) touches the compaction's end (03:00) and the offload's start (03:30) only.
    expect(found).toEqual(
      expect.arrayContaining([
        { reason: 'table', on: 'lake.trades', jobs: ['compact-trades', 'offload-trades'], times: 7 },
        { reason: 'queue', on: 'root.tenants.a', jobs: ['compact-trades', 'offload-trades'], times: 7 },
      ]),
    );
    expect(found).toHaveLength(2);
    expect(summaryText(report)).toContain(
      'table lake.trades: compact-trades and offload-trades, 7x/week, first Mon 02:30',
    );
  });

  test('a run that crosses the end of the week meets Monday runs on its queue', () => {
    const late = compaction(20);
    (late.spec as any).schedule = '50 23 * * SUN';
    const early = compaction(10);
    early.metadata.name = 'early';
    (early.spec as any).schedule = '5 0 * * MON';
    const wrapped = buildReport(smallEnvironment({ maxCpu: '64', maxMemory: '256Gi' }), smallCharts([late, early]));
    expect(wrapped.overlaps.map((o) => [o.reason, o.pairs.length, formatWeekMinute(o.pairs[0][1].start)])).toEqual([
      ['table', 1, 'Mon 00:05'],
      ['queue', 1, 'Mon 00:05'],
    ]);
  });

  test('quotas above the declared Spark capacity are over-committed; guarantees equal to it are not', () => {
    const c = report.commitments;
    expect(c.totalQuota).toEqual({ cpu: 16, memory: 64 * GiB });
    expect(c.totalGuaranteed).toEqual({ cpu: 12, memory: 48 * GiB });
    expect(c.overCommitted).toEqual([
      'sum of tenant quotas: CPU 16 > Spark capacity 12',
      'sum of tenant quotas: memory 64Gi > Spark capacity 48Gi',
    ]);
    expect(summaryText(report)).toContain('OVER-COMMITTED');
    expect(
      buildReport(smallEnvironment({ maxCpu: '16', maxMemory: '64Gi' }), smallCharts()).commitments.overCommitted,
    ).toEqual([]);
  });

  test('a scheduled job without an expected runtime stops the report, naming the job', () => {
    expect(() =>
      buildReport(smallEnvironment({ maxCpu: '16', maxMemory: '64Gi' }), smallCharts([compaction(null)])),
    ).toThrow(ReportError);
    expect(() =>
      buildReport(smallEnvironment({ maxCpu: '16', maxMemory: '64Gi' }), smallCharts([compaction(null)])),
    ).toThrow(
      `ScheduledSparkApplication a/compact-trades: annotation 'dataplane.io/expected-runtime-minutes' is null; expected whole minutes >= 1`,
    );
  });
});

describe('the HTML page', () => {
  const report = overCommitted();
  const html = renderHtml(report);
  const svg = (id: string) => new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)![0];
  const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

  test('the 24-hour timeline (the busiest day, Sunday) draws one bar per run, the same-table conflict in red', () => {
    expect(html).toContain('Timeline: Sun, 24 hours');
    expect(count(svg('day-timeline'), /<rect class="run/g)).toBe(1 + 24 + 1);
    expect(count(svg('day-timeline'), /<rect class="run conflict"/g)).toBe(2);
    expect(html).toMatch(/<li class="over">sum of tenant quotas: CPU 16 &gt; Spark capacity 12<\/li>/);
  });

  test('the week is a grid of job-days: what runs, conflicting days outlined, identical days merged, CPU-hours per day from the usage model', () => {
    const week = svg('week-grid');
    // Compaction and offload every day, the audit on Sunday: Monday to Saturday read the same and share a column.
    expect(week).toContain('>Mon 5 - Sat 10 Jan, each day</text>');
    expect(week).toContain('>Sun 11 Jan</text>');
    expect(count(week, /<rect class="cell/g)).toBe(2 + 3);
    expect(count(week, /<rect class="cell conflict"/g)).toBe(2 + 2);
    expect(week).toContain('>02:00, 60 min</text>');
    expect(week).toContain('>hourly at :30, 10 min</text>');
    for (const day of report.usage.byDay) expect(week).toContain(`>${num(day.cpuHours, 2)} CPU-h</text>`);
  });

  test('tooltips on the conflicting runs name both jobs and the table', () => {
    const titles = [...svg('day-timeline').matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toContainEqual(
      expect.stringMatching(
        /^compact-trades Sun 02:00-03:00 UTC.*conflicts with offload-trades Sun 02:30-02:40 on lake\.trades/,
      ),
    );
    expect(titles).toContainEqual(
      expect.stringMatching(
        /^offload-trades Sun 02:30-02:40 UTC.*conflicts with compact-trades Sun 02:00-03:00 on lake\.trades/,
      ),
    );
  });

  test('is self-contained: no script, no external resource, every interpolated string escaped', () => {
    expect(html).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\b(src|href)\s*=/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    // Addresses appear only as text in the versions table (chart repositories), never as something to load.
    const addresses = [...html.matchAll(/https?:\/\/[^\s<"']*/g)].map(
      (m) => html.lastIndexOf('<td>', m.index) > html.lastIndexOf('</td>', m.index),
    );
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every(Boolean)).toBe(true);
    expect(html).toContain('lake.trades, &lt;x&amp;y&gt;');
    expect(html).not.toContain('<x&y>');
  });
});

describe('the shipped dev environment', () => {
  // Computed from the synthesized objects: the tables come from each job's plan (the iceberg-tables annotation).
  const env = loadEnvironment('dev');
  const report = buildReport(env, renderEnvironment(env));

  test('flags the ADR compaction (02:00) still running when the raw offload (02:05) writes the same table', () => {
    const onTable = report.overlaps
      .filter((o) => o.reason === 'table' && o.on === 'trading.raw_trades')
      .map((o) => [o.first.name, o.second.name].sort());
    expect(onTable).toContainEqual(['offload-trading-raw', 'trading-compaction']);
  });

  test('does not pair the offloads of different tables as table overlaps (only as queue overlaps)', () => {
    const offloads = report.overlaps.filter(
      (o) => o.first.name.startsWith('offload-') && o.second.name.startsWith('offload-'),
    );
    expect(offloads.length).toBeGreaterThan(0);
    expect(offloads.every((o) => o.reason === 'queue')).toBe(true);
  });
});

describe('ADR-006 batch tiers', () => {
  const job = (name: string, tier: string | undefined, cpu: number, runtimeMinutes: number, schedule: string) => ({
    kind: 'CronJob' as const,
    name,
    namespace: 'trading',
    tenant: 'trading',
    queue: 'root.tenants.trading',
    tables: [],
    schedule,
    timeZone: 'UTC',
    runtimeMinutes,
    ...(tier ? { tier } : {}),
    pods: [],
    cpu,
    memory: GiB,
  });
  const runsOf = (...jobs: ReturnType<typeof job>[]) => weekRuns(jobs);

  test('totals each tier and each job in CPU-hours per day', () => {
    // 0.25 CPU x 2 min x 24 runs = 0.2 CPU-h/day; 2 CPU x 30 min daily = 1 CPU-h/day.
    const check = budgetCheck(
      runsOf(job('offload', '1', 0.25, 2, '5 * * * *'), job('compact', '2', 2, 30, '0 2 * * *')),
    );
    expect(check.tiers.map((t) => [t.tier, t.cpuHoursPerDay])).toEqual([
      ['1', expect.closeTo(0.2, 9)],
      ['2', expect.closeTo(1, 9)],
    ]);
    expect(check.overBudget).toEqual([]);
  });

  test('names the jobs and the excess when a budget is exceeded', () => {
    // The Spark-based offload this replaced: 2 CPU for 15 minutes every hour = 12 CPU-h/day.
    const check = budgetCheck(
      runsOf(job('offload-spark', '1', 2, 15, '5 * * * *'), job('other', undefined, 1, 60, '0 3 * * *')),
    );
    expect(check.overBudget).toEqual([
      'tier 1 12 CPU-h/day exceeds the ADR budget of 1 by 11: offload-spark 12',
      'all scheduled batch 13 CPU-h/day exceeds the ADR budget of 4 by 9: offload-spark 12, other 1',
    ]);
  });

  test('dev fits: tier 1 within 1 CPU-h/day and all scheduled batch within 4', () => {
    const env = loadEnvironment('dev');
    const report = buildReport(env, renderEnvironment(env));
    const tier = (t: string) => report.budget.tiers.find((x) => x.tier === t)!;
    expect(
      tier('1')
        .jobs.map((j) => j.name)
        .sort(),
    ).toEqual(['offload-trading-bronze', 'offload-trading-gold', 'offload-trading-raw', 'offload-trading-silver']);
    expect(tier('1').cpuHoursPerDay).toBeLessThanOrEqual(BATCH_BUDGET.tier1CpuHoursPerDay);
    expect(tier('1').cpuHoursPerDay + tier('2').cpuHoursPerDay).toBeLessThanOrEqual(BATCH_BUDGET.totalCpuHoursPerDay);
    expect(report.budget.overBudget).toEqual([]);
    expect(summaryText(report)).toMatch(
      /batch tiers \(ADR-006\): tier 1 0\.8 CPU-h\/day \(4 jobs\), tier 2 [\d.]+ CPU-h\/day \(5 jobs\).*: within/,
    );
  });
});

test('the HTML page shows each batch tier and its jobs', () => {
  const env = loadEnvironment('dev');
  const html = renderHtml(buildReport(env, renderEnvironment(env)));
  expect(html).toMatch(/ADR-006 budget: tier 1 at most 1 CPU-h\/day, all scheduled batch at most 4: within/);
  expect(html).toMatch(/<td>tier 1<\/td><td>all<\/td><td class="n">0\.8<\/td>/);
  expect(html).toContain('offload-trading-raw');
});
