// The report at a glance: the headline figures come from the same model as the rest of the page, one list of
// conflicts (a same-table overlap is one, jobs sharing their tenant's queue are not unless they overflow it), every
// tenant listed, repeated columns merged.
import { loadEnvironment, PRICES } from '../../config';
import { ICEBERG_TABLES_ANNOTATION } from '../../constructs/conventions';
import type { KubeObject } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import {
  buildReport,
  dayGroups,
  mergeColumns,
  num,
  releaseServices,
  renderHtml,
  SPARK_PRICE_REFERENCE,
  summaryText,
  usd,
} from '../../stacks/report';
import { sparkNodePoolSpec } from '../../constructs/aws/karpenter-node-pools';
import { compaction, offload, smallCharts, smallEnvironment } from './fixture';

const env = smallEnvironment({ maxCpu: '64', maxMemory: '256Gi' });
const section = (html: string, heading: string) => {
  const start = html.indexOf(`<h2>${heading}</h2>`);
  return html.slice(start, html.indexOf('<h2>', start + 1));
};
const figures = (html: string) =>
  Object.fromEntries([...html.matchAll(/<span data-figure="([^"]+)">([^<]*)<\/span>/g)].map((m) => [m[1], m[2]]));
/** A copy of `job` named `name` that touches `tables` instead. */
const renamed = (job: KubeObject, name: string, tables: string): KubeObject => ({
  ...job,
  metadata: {
    ...job.metadata,
    name,
    annotations: { ...(job.metadata.annotations as Record<string, string>), [ICEBERG_TABLES_ANNOTATION]: tables },
  },
});

describe('one list of conflicts', () => {
  test('a same-table overlap is listed with both jobs, painted, and counted in the headline', () => {
    const report = buildReport(env, smallCharts([compaction(), offload()]));
    const html = renderHtml(report);
    const list = section(html, 'Conflicts');
    expect(list).toMatch(
      /<li class="over" title="compact-trades Mon 02:00-03:00 and offload-trades Mon 02:30-02:40">table lake\.trades: compact-trades and offload-trades, 7x\/week, first Mon 02:30<\/li>/,
    );
    expect(figures(html).conflicts).toBe('1');
    expect(html).toContain('<rect class="run conflict"');
    expect(summaryText(report)).toContain('conflicts: 1 on a table at the same time, 0 on a queue above its max');
  });

  test("jobs sharing their tenant's queue within its max are by design: listed as shared, not as conflicts", () => {
    // The offload writes another table: it still meets the compaction on root.tenants.a every day at 02:30.
    const report = buildReport(env, smallCharts([compaction(), renamed(offload(), 'offload-quotes', 'lake.quotes')]));
    expect(report.overlaps.map((o) => o.reason)).toEqual(['queue']);
    expect(report.conflicts.tables).toEqual([]);
    expect(report.conflicts.queues).toEqual([
      expect.objectContaining({ queue: 'root.tenants.a', overMax: false, jobPairs: 1 }),
    ]);
    const html = renderHtml(report);
    const list = section(html, 'Conflicts');
    expect(list).toContain('<p class="ok">No conflicts');
    expect(list).not.toContain('class="over"');
    expect(list).toMatch(
      /Shared by design, not conflicts[\s\S]*queue root\.tenants\.a: 2 jobs \(1 pairs\) run together, peak 5\.5 CPU/,
    );
    expect(html).not.toContain('run conflict');
    expect(html).not.toContain('cell conflict');
    expect(figures(html).conflicts).toBe('0');
  });

  test('jobs asking their queue for more than its max together are a conflict', () => {
    // Two 5-CPU compactions at 02:00 on different tables: 10 CPU on root.tenants.a, whose max is 8.
    const report = buildReport(
      env,
      smallCharts([compaction(), renamed(compaction(), 'compact-quotes', 'lake.quotes')]),
    );
    expect(report.conflicts.tables).toEqual([]);
    expect(report.conflicts.queues).toEqual([
      expect.objectContaining({ queue: 'root.tenants.a', overMax: true, peak: expect.objectContaining({ cpu: 10 }) }),
    ]);
    const list = section(renderHtml(report), 'Conflicts');
    expect(list).toMatch(
      /<li class="over">queue root\.tenants\.a: 2 jobs \(1 pairs\) run together, peak 10 CPU \/ [\d.]+ GiB first at Mon 02:00, above its max 8 CPU \/ 32 GiB<\/li>/,
    );
  });

  test('one pair of jobs on several tables is one conflict naming every table', () => {
    const wide = renamed(offload(), 'offload-trades', 'lake.trades,lake.quotes');
    const both = renamed(compaction(), 'compact-trades', 'lake.quotes,lake.trades');
    const report = buildReport(env, smallCharts([both, wide]));
    expect(report.conflicts.tables.map((c) => [c.first.name, c.second.name, c.tables])).toEqual([
      ['compact-trades', 'offload-trades', ['lake.quotes', 'lake.trades']],
    ]);
  });
});

describe('every tenant is listed', () => {
  // Tenant b has no scheduled job here.
  const report = buildReport(env, smallCharts([compaction(), offload()]));
  const html = renderHtml(report);

  test('in the timelines, the headline and the tenants table', () => {
    expect(report.tenants).toEqual(['a', 'b']);
    for (const id of ['day-timeline', 'week-grid']) {
      const svg = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)![0];
      expect(svg).toContain('>tenant b<tspan class="dim"> (no scheduled jobs)</tspan>');
    }
    expect(html).toMatch(/<tr data-tenant="b"><td>b<\/td><td class="n">0<\/td>/);
    expect(section(html, 'Tenants: budgets, guarantees and cost')).toContain('<td>b</td>');
    expect(summaryText(report)).toContain('tenant b: 0 scheduled jobs, 0 CPU-h/day, $0.00/month');
  });
});

describe('the headline figures come from the report model', () => {
  const report = buildReport(env, smallCharts());
  const html = renderHtml(report);

  test('always-on cost, batch CPU-hours against the ADR budget, per-tenant cost', () => {
    const shown = figures(html);
    expect(shown['always-on-monthly']).toBe(usd(report.cost.monthly));
    expect(shown['batch-cpu-hours']).toBe(num(report.budget.cpuHoursPerDay, 2));
    // The budget's total and the usage model's are computed apart and agree; so do the tenants' with both.
    expect(report.budget.cpuHoursPerDay).toBeCloseTo(report.usage.perDay.cpuHours, 9);
    expect(report.tenantCosts.reduce((n, t) => n + t.cpuHoursPerDay, 0)).toBeCloseTo(report.usage.perDay.cpuHours, 9);
    expect(shown['tenant-monthly:a']).toBe(usd(report.tenantCosts.find((t) => t.tenant === 'a')!.monthly));
    expect(html.indexOf('id="headline"')).toBeLessThan(html.indexOf('id="day-timeline"'));
  });

  test('per-tenant cost: each run pays the larger of its CPU and memory share of the reference node-hour', () => {
    const node = PRICES.ec2[SPARK_PRICE_REFERENCE];
    const weeksPerMonth = PRICES.hoursPerMonth / 168;
    const cost = (t: string) => report.tenantCosts.find((x) => x.tenant === t)!;
    // a: compaction 5 CPU / 11.175 GiB for 7 h a week (CPU share 5/4); offload 0.5 CPU / 1 GiB for 168 x 10 min.
    const a =
      (7 * Math.max(5 / node.cpu, 11.175 / node.memoryGiB) + 28 * Math.max(0.5 / node.cpu, 1 / node.memoryGiB)) *
      node.hour;
    expect(cost('a').batchMonthly).toBeCloseTo(a * weeksPerMonth, 9);
    // b: the audit, 4 CPU / 5.6 GiB for half an hour on Sunday.
    expect(cost('b').batchMonthly).toBeCloseTo(
      0.5 * Math.max(4 / node.cpu, 5.6 / node.memoryGiB) * node.hour * weeksPerMonth,
      9,
    );
    expect(cost('a').jobs).toBe(2);
  });

  test('a change in the environment moves the headline with the rest of the page', () => {
    const bigger = { ...env, capacity: { ...env.capacity, system: { ...env.capacity.system, minNodes: 3 } } };
    const other = buildReport(bigger, smallCharts());
    expect(other.cost.monthly).toBeGreaterThan(report.cost.monthly);
    expect(figures(renderHtml(other))['always-on-monthly']).toBe(usd(other.cost.monthly));
    expect(summaryText(other)).toContain(`headline: always-on ${usd(other.cost.monthly)}/month`);
  });

  test('the dev idle Spark Connect server is charged to its tenant, analytics', () => {
    const dev = loadEnvironment('dev');
    const devReport = buildReport(dev, renderEnvironment(dev), { helmServices: releaseServices(dev) });
    const analytics = devReport.tenantCosts.find((t) => t.tenant === 'analytics')!;
    expect(analytics.jobs).toBe(0);
    expect(analytics.interactiveMonthly).toBeGreaterThan(0);
    expect(devReport.tenantCosts.find((t) => t.tenant === 'trading')!.interactiveMonthly).toBe(0);
  });

  test('the reference instance type is one the Spark NodePools may launch', () => {
    const requirements = (sparkNodePoolSpec('driver', { cpu: '1', memory: '1Gi' }) as any).template.spec
      .requirements as { key: string; operator: string; values: string[] }[];
    const [, category, generation, suffix] = /^([a-z])(\d)([a-z]*)\./.exec(SPARK_PRICE_REFERENCE)!;
    const req = (key: string) => requirements.find((r) => r.key === key)!;
    expect(req('karpenter.k8s.aws/instance-category').values).toContain(category);
    expect(Number(generation)).toBeGreaterThan(Number(req('karpenter.k8s.aws/instance-generation').values[0]));
    // Graviton types carry a `g`; the Spark pools are amd64.
    expect(req('kubernetes.io/arch').values).toEqual(['amd64']);
    expect(suffix).not.toContain('g');
    expect(req('karpenter.sh/capacity-type').values).toEqual(['on-demand']);
  });
});

describe('identical columns are merged', () => {
  test('a column repeating another joins its header; a column with one value is stated once', () => {
    const m = mergeColumns(
      ['tenant', 'budget', 'quota', 'zone', 'max'],
      [
        ['a', '8', '8', 'UTC', '8'],
        ['b', '4', '4', 'UTC', '6'],
      ],
    );
    expect(m.headers).toEqual(['tenant', 'budget = quota', 'max']);
    expect(m.rows).toEqual([
      ['a', '8', '8'],
      ['b', '4', '6'],
    ]);
    expect(m.constant).toEqual([['zone', 'UTC']]);
  });

  test('week days that read the same on every row share a column; a different day in between splits them', () => {
    const cell = (text: string, conflict = false) => ({ text, conflict });
    const weekday = [cell('02:00, 20 min', true), cell('')];
    const saturday = [cell('02:00, 20 min', true), cell('03:20, 40 min')];
    expect(dayGroups([weekday, weekday, weekday, weekday, weekday, saturday, weekday])).toEqual([
      [0, 4],
      [5, 5],
      [6, 6],
    ]);
    // Same text, but only one day conflicts: not merged.
    expect(dayGroups([[cell('x', true)], [cell('x')]])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  test('a one-row table is left whole', () => {
    expect(mergeColumns(['a', 'b'], [['x', 'x']]).headers).toEqual(['a', 'b']);
  });

  test('on the dev page: one tenant, zone and queue for every job; budget, quota and queue max equal', () => {
    const dev = loadEnvironment('dev');
    const html = renderHtml(buildReport(dev, renderEnvironment(dev)));
    const jobs = section(html, 'Scheduled jobs');
    expect(jobs).toContain(
      'Same on every row: tenant <b>trading</b>; time zone <b>UTC</b>; queue <b>root.tenants.trading</b>.',
    );
    expect(jobs).not.toContain('<th>time zone</th>');
    expect(section(html, 'Tenants: budgets, guarantees and cost')).toContain('<th>budget = quota = queue max</th>');
  });
});
