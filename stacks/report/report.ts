/** The report of one environment: built from its synthesized objects, printed as a short text summary. */
import { EnvironmentConfig, MINUTES_PER_DAY, VERSIONS, WEEKDAYS } from '../../config';
import { RenderedChart } from '../k8s/render';
import { commitments, Commitments } from './commitments';
import { conflictCount, conflicts, Conflicts, queueSharingLine, tableConflictLine } from './conflicts';
import { alwaysOnCost, AlwaysOnCost, costText, SPARK_PRICE_REFERENCE, TenantCost, tenantCosts, usd } from './cost';
import { cores, gib, num, percent } from './format';
import { ScheduledJob, scheduledJobs } from './jobs';
import { findOverlaps, Overlap, Run, weekRuns } from './timeline';
import { AlwaysOnService, alwaysOnWorkloads, idleSparkConnectServers, usage, Usage } from './usage';

export interface ReportOptions {
  /**
   * Always-on services installed by Helm (not among the synthesized objects), with their requests taken from the
   * releases' typed values.
   */
  readonly helmServices?: readonly AlwaysOnService[];
}

/**
 * ADR-006's batch budget in CPU-hours per day: the hourly tier-1 offload within 1, all scheduled batch work within 4
 * (the ADR's "about 4 CPU-hours a day").
 */
export const BATCH_BUDGET = { tier1CpuHoursPerDay: 1, totalCpuHoursPerDay: 4 } as const;

/** The CPU-hours per day of one batch tier, and of each of its jobs. */
export interface TierUsage {
  /** `1`, `2`, or `untiered` for scheduled jobs without the tier label. */
  readonly tier: string;
  readonly cpuHoursPerDay: number;
  readonly jobs: readonly { readonly name: string; readonly cpuHoursPerDay: number }[];
}

/** The tiers against {@link BATCH_BUDGET}: one line per budget exceeded, naming the jobs and by how much. */
export interface BudgetCheck {
  readonly tiers: readonly TierUsage[];
  /** All scheduled batch, CPU-hours per day: the figure {@link BATCH_BUDGET}'s total bounds. */
  readonly cpuHoursPerDay: number;
  /** Tier 1 (the hourly offload), CPU-hours per day; 0 without tier-1 jobs. */
  readonly tier1CpuHoursPerDay: number;
  readonly overBudget: readonly string[];
}

export interface VersionPin {
  readonly component: string;
  readonly key: string;
  readonly value: string;
}

export interface Report {
  readonly env: string;
  /** The environment's tenants in file order (those without scheduled jobs too), then any other tenant a job names. */
  readonly tenants: readonly string[];
  readonly jobs: readonly ScheduledJob[];
  readonly runs: readonly Run[];
  /** Jobs whose schedule has no run in the reference week (e.g. monthly ones). */
  readonly notInWeek: readonly ScheduledJob[];
  /** Every pair of jobs whose runs meet on a table or a queue. */
  readonly overlaps: readonly Overlap[];
  /** The overlaps that are conflicts (same table; a queue over its max) and the queues shared by design. */
  readonly conflicts: Conflicts;
  /** The day (0 = Monday) the 24-hour timeline shows: the one with the most runs, Monday on ties. */
  readonly timelineDay: number;
  readonly usage: Usage;
  readonly commitments: Commitments;
  /** What the environment costs per month before any job runs. */
  readonly cost: AlwaysOnCost;
  /** Each tenant's own Spark use per month, in {@link Report.tenants} order. */
  readonly tenantCosts: readonly TenantCost[];
  readonly budget: BudgetCheck;
  readonly versions: readonly VersionPin[];
}

export function buildReport(
  env: EnvironmentConfig,
  charts: readonly RenderedChart[],
  options: ReportOptions = {},
): Report {
  const objects = charts.flatMap((c) => c.objects);
  const jobs = scheduledJobs(objects);
  const runs = weekRuns(jobs);
  const overlaps = findOverlaps(runs);
  const runsPerDay = WEEKDAYS.map((_, day) => runs.filter((r) => Math.floor(r.start / MINUTES_PER_DAY) === day).length);
  const services = [...alwaysOnWorkloads(objects), ...(options.helmServices ?? [])];
  const interactive = idleSparkConnectServers(objects);
  const tenants = [...new Set([...env.tenants.map((t) => t.name), ...jobs.map((j) => j.tenant)])];
  const held = commitments(env, objects);
  return {
    env: env.name,
    tenants,
    jobs,
    runs,
    notInWeek: jobs.filter((job) => !runs.some((r) => r.job === job)),
    overlaps,
    conflicts: conflicts(runs, overlaps, held.tenants),
    timelineDay: runsPerDay.indexOf(Math.max(...runsPerDay)),
    usage: usage(env, runs, services, interactive),
    commitments: held,
    cost: alwaysOnCost(env),
    tenantCosts: tenantCosts(tenants, jobs, runs, interactive),
    budget: budgetCheck(runs),
    versions: flattenVersions(VERSIONS),
  };
}

/** CPU-hours per day of each tier and job over the reference week, checked against {@link BATCH_BUDGET}. */
export function budgetCheck(runs: readonly Run[]): BudgetCheck {
  const perJob = new Map<ScheduledJob, number>();
  for (const run of runs)
    perJob.set(run.job, (perJob.get(run.job) ?? 0) + (run.job.cpu * (run.end - run.start)) / 60 / 7);
  const byTier = new Map<string, { name: string; cpuHoursPerDay: number }[]>();
  for (const [job, cpuHoursPerDay] of perJob) {
    const tier = job.tier ?? 'untiered';
    byTier.set(tier, [...(byTier.get(tier) ?? []), { name: job.name, cpuHoursPerDay }]);
  }
  const tiers = [...byTier]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tier, jobs]) => ({
      tier,
      cpuHoursPerDay: jobs.reduce((n, j) => n + j.cpuHoursPerDay, 0),
      jobs: [...jobs].sort((a, b) => b.cpuHoursPerDay - a.cpuHoursPerDay),
    }));
  const overBudget: string[] = [];
  const over = (what: string, jobs: readonly TierUsage['jobs'][number][], total: number, budget: number) => {
    if (total <= budget) return;
    const named = jobs.map((j) => `${j.name} ${num(j.cpuHoursPerDay, 2)}`).join(', ');
    overBudget.push(
      `${what} ${num(total, 2)} CPU-h/day exceeds the ADR budget of ${budget} by ${num(total - budget, 2)}: ${named}`,
    );
  };
  const tier1 = tiers.find((t) => t.tier === '1');
  if (tier1) over('tier 1', tier1.jobs, tier1.cpuHoursPerDay, BATCH_BUDGET.tier1CpuHoursPerDay);
  const all = tiers.flatMap((t) => t.jobs).sort((a, b) => b.cpuHoursPerDay - a.cpuHoursPerDay);
  const cpuHoursPerDay = tiers.reduce((n, t) => n + t.cpuHoursPerDay, 0);
  over('all scheduled batch', all, cpuHoursPerDay, BATCH_BUDGET.totalCpuHoursPerDay);
  return { tiers, cpuHoursPerDay, tier1CpuHoursPerDay: tier1?.cpuHoursPerDay ?? 0, overBudget };
}

function flattenVersions(tree: object, prefix = ''): VersionPin[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? flattenVersions(value, prefix ? `${prefix}.${key}` : key)
      : [{ component: prefix, key, value: String(value) }],
  );
}

/**
 * The saving statement ("always-on 14 CPU / 20 GB vs batch-only 2 CPU / 4 GB, ~2 h/day; 98.8% fewer
 * CPU-hours"): the batch size is the average held while at least one job runs.
 */
export function savingStatement(u: Usage): string {
  const whileBusy = (perDay: number) => (u.busyHoursPerDay === 0 ? 0 : perDay / u.busyHoursPerDay);
  return (
    `always-on ${cores(u.peak.cpu)} / ${gib(u.peak.memory)} vs batch-only ${cores(whileBusy(u.perDay.cpuHours))} / ` +
    `${num(whileBusy(u.perDay.memoryGiBHours))} GiB, ~${num(u.busyHoursPerDay)} h/day: ${percent(u.saving.cpu)} fewer CPU-hours ` +
    `(${num(u.perDay.cpuHours)} vs ${num(u.alwaysOnSparkPerDay.cpuHours)} CPU-h/day), ${percent(u.saving.memory)} fewer memory-hours`
  );
}

/** The text printed by `npm run report`. */
export function summaryText(report: Report): string {
  const u = report.usage;
  const c = report.commitments;
  const lines = [
    `${report.env}: ${report.jobs.length} scheduled jobs, ${report.runs.length} runs in the reference week (Mon 2026-01-05 UTC)`,
    headlineText(report),
    ...report.tenantCosts.map(
      (t) =>
        `tenant ${t.tenant}: ${t.jobs} scheduled jobs, ${num(t.cpuHoursPerDay, 2)} CPU-h/day, ${usd(t.monthly)}/month ` +
        `(batch ${usd(t.batchMonthly)}, idle Spark Connect ${usd(t.interactiveMonthly)}; on-demand ${SPARK_PRICE_REFERENCE})`,
    ),
    `always on: ${u.systemNodes.nodes} x ${u.systemNodes.instanceType} system nodes = ${cores(u.systemNodes.cpu)} / ${gib(u.systemNodes.memory)} ` +
      `(${num(u.systemNodes.cpu * 24)} CPU-h/day); services request ${cores(u.serviceRequests.cpu)} / ${gib(u.serviceRequests.memory)} (${u.services.length} services)`,
    ...u.interactive.map(
      (s) =>
        `interactive: Spark Connect ${s.namespace}/${s.name} idles at ${cores(s.cpu)} / ${gib(s.memory)} (${num(s.cpu * 24)} CPU-h/day)`,
    ),
    `scheduled jobs: ${num(u.perDay.cpuHours)} CPU-h/day, ${num(u.perDay.memoryGiBHours)} GiB-h/day, busy ~${num(u.busyHoursPerDay)} h/day, ` +
      `peak ${cores(u.peak.cpu)} / ${gib(u.peak.memory)}`,
    `saving: ${savingStatement(u)}`,
    ...costText(report.cost),
    `batch tiers (ADR-006): ${report.budget.tiers.map((t) => `tier ${t.tier} ${num(t.cpuHoursPerDay, 2)} CPU-h/day (${t.jobs.length} jobs)`).join(', ')}; ` +
      `budget tier 1 <= ${BATCH_BUDGET.tier1CpuHoursPerDay}, all <= ${BATCH_BUDGET.totalCpuHoursPerDay}: ` +
      (report.budget.overBudget.length === 0 ? 'within' : 'OVER BUDGET'),
    ...report.budget.overBudget.map((line) => `  - ${line}`),
    ...conflictText(report.conflicts),
    `commitments: quotas ${cores(c.totalQuota.cpu)} / ${gib(c.totalQuota.memory)}, guarantees ${cores(c.totalGuaranteed.cpu)} / ` +
      `${gib(c.totalGuaranteed.memory)}, Spark capacity ${cores(c.capacity.cpu)} / ${gib(c.capacity.memory)}: ` +
      (c.overCommitted.length === 0 ? 'fits' : 'OVER-COMMITTED'),
    ...c.overCommitted.map((line) => `  - ${line}`),
    ...(report.notInWeek.length > 0
      ? [`no run in the reference week: ${report.notInWeek.map((j) => j.name).join(', ')}`]
      : []),
    `versions: ${versionLine(report.versions)}`,
  ];
  return lines.join('\n');
}

/** The figures the page leads with, on one line. */
export function headlineText(report: Report): string {
  const b = report.budget;
  const count = conflictCount(report.conflicts);
  return (
    `headline: always-on ${usd(report.cost.monthly)}/month; batch ${num(b.cpuHoursPerDay, 2)} of ${BATCH_BUDGET.totalCpuHoursPerDay} CPU-h/day ` +
    `(tier 1 ${num(b.tier1CpuHoursPerDay, 2)} of ${BATCH_BUDGET.tier1CpuHoursPerDay}): ${b.overBudget.length === 0 ? 'within' : 'OVER BUDGET'}; ` +
    `${count} conflict${count === 1 ? '' : 's'}`
  );
}

/** The conflicts, one line each, then the queues shared by design. */
function conflictText(c: Conflicts): string[] {
  const overMax = c.queues.filter((q) => q.overMax);
  const shared = c.queues.filter((q) => !q.overMax);
  return [
    `conflicts: ${c.tables.length} on a table at the same time, ${overMax.length} on a queue above its max`,
    ...c.tables.map((t) => `  - ${tableConflictLine(t)}`),
    ...overMax.map((q) => `  - ${queueSharingLine(q)}`),
    ...(shared.length > 0 ? ['shared queues (by design, not conflicts):'] : []),
    ...shared.map((q) => `  - ${queueSharingLine(q)}`),
  ];
}

/** The numeric pins per component, e.g. `spark version 4.0.1, scala 2.13; iceberg version 1.11.0`. */
function versionLine(pins: readonly VersionPin[]): string {
  const byComponent = new Map<string, string[]>();
  for (const pin of pins.filter((p) => /^\d+(\.\d+)+$/.test(p.value))) {
    byComponent.set(pin.component, [...(byComponent.get(pin.component) ?? []), `${pin.key} ${pin.value}`]);
  }
  return [...byComponent].map(([component, entries]) => `${component} ${entries.join(', ')}`).join('; ');
}
