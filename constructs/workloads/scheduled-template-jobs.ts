import { Construct } from 'constructs';
import {
  ConfigError,
  EnvironmentConfig,
  environmentSubject,
  findScheduleConflicts,
  formatWeekMinute,
  ScheduledOperation,
} from '../../config';
import { PlanStep, SPARK_CATALOG } from '../../jobs/plan';
import { ScheduledSparkJob } from './scheduled-spark-job';
import { offloadOperation, OffloadedTable } from './table-group-maintenance';
import { checkParameterValues, collect, fillClickHouse, templateJobProps, templateNamed } from './template-options';

/** An offloaded table with the Iceberg namespace it lands in. */
export interface NamespacedOffloadedTable {
  readonly namespace: string;
  readonly table: OffloadedTable;
}

/** A scheduled job of the environment file, with the tenant it runs as. */
export interface ScheduledTemplateJob {
  readonly job: ScheduledSparkJob;
  readonly tenant: string;
}

/**
 * One ScheduledSparkJob per entry of the environment's `jobs.scheduled`, built from its template like
 * `npm run job -- render`. A job whose template, parameters or schedule are wrong, or whose runs write a table while
 * the offload or another scheduled job writes it, fails the whole environment with every problem at once.
 */
export function addScheduledTemplateJobs(
  scope: Construct,
  env: EnvironmentConfig,
  offloaded: readonly NamespacedOffloadedTable[],
): ScheduledTemplateJob[] {
  const problems: string[] = [];
  const built: (ScheduledTemplateJob & { at: string })[] = [];
  env.jobs.scheduled.forEach((entry, i) => {
    const at = `jobs.scheduled[${i}]`;
    const lines: string[] = [];
    const definition = templateNamed(entry.template, `${at}.template`, lines);
    if (definition) {
      const options = structuredClone(entry.parameters);
      checkParameterValues(definition.params, options, `${at}.parameters.`, lines);
      fillClickHouse(definition, env, options, lines);
      const props = lines.length === 0 ? templateJobProps(env, definition, options, entry, lines) : undefined;
      const job =
        props &&
        collect(
          lines,
          () =>
            new ScheduledSparkJob(scope, entry.name, {
              ...props,
              schedule: entry.schedule,
              expectedRuntimeMinutes: entry.expectedRuntimeMinutes,
              runTimestampPrecision: env.services?.sparkOperator?.runTimestampPrecision,
            }),
        );
      if (job) built.push({ job, tenant: entry.tenant, at });
    }
    // The template's and the construct's own lines name their keys below the entry.
    problems.push(...lines.map((line) => (line.startsWith(`'${at}`) ? line : `${at} (${entry.name}): ${line}`)));
  });
  if (problems.length === 0) problems.push(...scheduleCollisions(built, offloaded));
  if (problems.length > 0) throw new ConfigError(environmentSubject(env), problems);
  return built.map(({ job, tenant }) => ({ job, tenant }));
}

/** The tables a plan step writes (reads never collide), without the Polaris catalog prefix the offload omits. */
function writes(step: PlanStep): { table: string; toHoursAgo?: number }[] {
  const bare = (table: string) =>
    table.startsWith(`${SPARK_CATALOG}.`) ? table.slice(SPARK_CATALOG.length + 1) : table;
  switch (step.type) {
    case 'etl':
      return [{ table: bare(step.target) }];
    case 'rewrite-data-files':
      return [{ table: bare(step.table), toHoursAgo: step.skipRecentHours }];
    case 'rewrite-manifests':
      return [{ table: bare(step.table) }];
    default:
      // Snapshot expiry and orphan cleanup delete only old files no writer touches; the rest write their own tables.
      return [];
  }
}

/** One line per scheduled job whose runs write a table while the offload (or another scheduled job) writes it. */
function scheduleCollisions(
  built: readonly { job: ScheduledSparkJob; at: string }[],
  offloaded: readonly NamespacedOffloadedTable[],
): string[] {
  const operations: ScheduledOperation[] = [
    ...offloaded.map((o) => offloadOperation(o.namespace, o.table)),
    ...built.flatMap(({ job, at }) =>
      job.plan.steps.flatMap(writes).map((w): ScheduledOperation => ({
        table: w.table,
        kind: `job ${job.name}`,
        cron: job.schedule,
        expectedMinutes: job.expectedRuntimeMinutes,
        partitions: w.toHoursAgo === undefined ? undefined : { toHoursAgo: w.toHoursAgo },
        source: at,
      })),
    ),
  ];
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const c of findScheduleConflicts(operations)) {
    // The scheduled job is the one to move: the offload's schedule is the data's.
    const [op, start, other, otherStart] =
      c.first.kind === 'offload'
        ? [c.second, c.secondStart, c.first, c.firstStart]
        : [c.first, c.firstStart, c.second, c.secondStart];
    if (seen.has(op.source)) continue;
    seen.add(op.source);
    lines.push(
      `'${op.source}.schedule' is ${JSON.stringify(op.cron)}; expected runs clear of ${other.kind} of ${other.table} ` +
        `(${other.source}, ${formatWeekMinute(otherStart)} UTC for ${other.expectedMinutes} min): its run at ` +
        `${formatWeekMinute(start)} UTC is expected to take ${op.expectedMinutes} min`,
    );
  }
  return lines;
}
