/** The report of one environment: built from its synthesized objects, printed as a short text summary. */
import { EnvironmentConfig, formatWeekMinute, MINUTES_PER_DAY, VERSIONS, WEEKDAYS } from '../../config';
import { RenderedChart } from '../k8s/render';
import { commitments, Commitments } from './commitments';
import { alwaysOnCost, AlwaysOnCost, costText } from './cost';
import { ScheduledJob, scheduledJobs } from './jobs';
import { findOverlaps, Overlap, overlappingRunIds, Run, weekRuns } from './timeline';
import { AlwaysOnService, alwaysOnWorkloads, idleSparkConnectServers, usage, Usage } from './usage';

export interface ReportOptions {
  /**
   * Always-on services installed by Helm (not among the synthesized objects), with their requests taken from the
   * releases' typed values.
   */
  readonly helmServices?: readonly AlwaysOnService[];
}

export interface VersionPin {
  readonly component: string;
  readonly key: string;
  readonly value: string;
}

export interface Report {
  readonly env: string;
  readonly jobs: readonly ScheduledJob[];
  readonly runs: readonly Run[];
  /** Jobs whose schedule has no run in the reference week (e.g. monthly ones). */
  readonly notInWeek: readonly ScheduledJob[];
  readonly overlaps: readonly Overlap[];
  readonly overlappingRuns: ReadonlySet<number>;
  /** The day (0 = Monday) the 24-hour timeline shows: the one with the most runs, Monday on ties. */
  readonly timelineDay: number;
  readonly usage: Usage;
  readonly commitments: Commitments;
  /** What the environment costs per month before any job runs. */
  readonly cost: AlwaysOnCost;
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
  return {
    env: env.name,
    jobs,
    runs,
    notInWeek: jobs.filter((job) => !runs.some((r) => r.job === job)),
    overlaps,
    overlappingRuns: overlappingRunIds(overlaps),
    timelineDay: runsPerDay.indexOf(Math.max(...runsPerDay)),
    usage: usage(env, runs, services, idleSparkConnectServers(objects)),
    commitments: commitments(env, objects),
    cost: alwaysOnCost(env),
    versions: flattenVersions(VERSIONS),
  };
}

function flattenVersions(tree: object, prefix = ''): VersionPin[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? flattenVersions(value, prefix ? `${prefix}.${key}` : key)
      : [{ component: prefix, key, value: String(value) }],
  );
}

/** `12.5`, `3`, `0.25`: at most `digits` decimals, no trailing zeros. */
export function num(n: number, digits = 1): string {
  return String(Number(n.toFixed(digits)));
}

/** Bytes as GiB with at most one decimal. */
export function gib(bytes: number): string {
  return `${num(bytes / 2 ** 30)} GiB`;
}

/** CPU cores with at most two decimals. */
export function cores(n: number): string {
  return `${num(n, 2)} CPU`;
}

export function percent(fraction: number): string {
  return `${num(fraction * 100)}%`;
}

/**
 * The ADR-style saving statement ("always-on 14 CPU / 20 GB vs batch-only 2 CPU / 4 GB, ~2 h/day; 98.8% fewer
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

export function overlapLine(o: Overlap): string {
  const [a, b] = o.pairs[0];
  const jobs =
    o.first === o.second ? `${o.first.name} overlaps its own next run` : `${o.first.name} and ${o.second.name}`;
  return `${o.reason} ${o.on}: ${jobs}, ${o.pairs.length}x/week, first ${formatWeekMinute(Math.max(a.start, b.start))}`;
}

/** The text printed by `npm run report`. */
export function summaryText(report: Report): string {
  const u = report.usage;
  const c = report.commitments;
  const lines = [
    `${report.env}: ${report.jobs.length} scheduled jobs, ${report.runs.length} runs in the reference week (Mon 2026-01-05 UTC)`,
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
    `overlaps: ${report.overlaps.filter((o) => o.reason === 'table').length} on a table, ${report.overlaps.filter((o) => o.reason === 'queue').length} on a queue`,
    ...report.overlaps.map((o) => `  - ${overlapLine(o)}`),
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

/** The numeric pins per component, e.g. `spark version 4.0.1, scala 2.13; iceberg version 1.11.0`. */
function versionLine(pins: readonly VersionPin[]): string {
  const byComponent = new Map<string, string[]>();
  for (const pin of pins.filter((p) => /^\d+(\.\d+)+$/.test(p.value))) {
    byComponent.set(pin.component, [...(byComponent.get(pin.component) ?? []), `${pin.key} ${pin.value}`]);
  }
  return [...byComponent].map(([component, entries]) => `${component} ${entries.join(', ')}`).join('; ');
}
