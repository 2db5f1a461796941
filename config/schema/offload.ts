import { z } from 'zod';
import { clickHouseCidrProblem, clickHouseHostProblem } from '../clickhouse';
import { VERSIONS } from '../versions';
import { cidr, count, dnsLabel } from './common';
import { crossFieldRule, RuleProblem, valueRule } from './rules';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const identifier = z.string().regex(IDENTIFIER, 'an identifier (letters, digits, "_")');

/** An hourly cron `<minute> * * * *`: the exactly-once windows assume one run per hour. */
export const HOURLY_SCHEDULE = /^([0-9]|[1-5][0-9]) \* \* \* \*$/;

/** Defaults of the offload timing, shared by the environment schema and the ClickHouseOffload construct. */
export const OFFLOAD_DEFAULTS = {
  /** Whole hours between the end of an hour and its first offload, so inserts in flight are included. */
  lagHours: 1,
  /** Longest outage (hours without a successful run) a run catches up by itself; an older watermark stops it. */
  outageToleranceHours: 24,
  /**
   * Most hours one run catches up beyond the lateness window: bounds a run's time after an outage (each run gains
   * this minus one hour on the clock), so a catch-up never runs into the pod's deadline.
   */
  maxCatchUpHours: 6,
  /** How a source table is read: `final` for engines that merge rows, `none` reads rows as stored. */
  dedup: 'none',
  /**
   * Minutes one run takes: `npm run bench` offloads an hour of 1 M raw_trades rows in well under a minute, so two
   * minutes cover the connection, the catalog round trips and a catch-up hour or two.
   */
  expectedRuntimeMinutes: 2,
} as const;

/** How the offload reads a ClickHouse table: `final` applies `FINAL` (Replacing/Aggregating/Collapsing MergeTree). */
export const DEDUP_MODES = ['none', 'final'] as const;
export type DedupMode = (typeof DEDUP_MODES)[number];

/** One ClickHouse table and its Iceberg target. */
export const OffloadTableSchema = z.strictObject({
  /** ClickHouse database. */
  database: identifier,
  /** ClickHouse table; the Iceberg table has the same name unless `target.table` says otherwise. */
  table: identifier,
  /** UTC timestamp column the hour windows are cut on. */
  eventTimeColumn: identifier,
  /** Hours ClickHouse keeps a row (`TTL <eventTimeColumn> + INTERVAL n HOUR`). */
  ttlHours: count(1),
  /** Hours after its hour closed within which a row may still arrive in ClickHouse. */
  allowedLatenessHours: count(0),
  /**
   * `final` when the table's engine merges rows (ReplacingMergeTree and the like): the offload and the audit then read
   * it with FINAL, one row per key; the offload refuses a merging engine read with `none`.
   * @default none
   */
  dedup: z.enum(DEDUP_MODES).default(OFFLOAD_DEFAULTS.dedup),
  /** The Iceberg table. */
  target: z.strictObject({
    /** Iceberg namespace. */
    namespace: identifier,
    /** Iceberg table name. */
    table: identifier,
    /** Partition transforms of the table, e.g. [hours(event_ts)]; it must contain hours(<eventTimeColumn>). */
    partitionedBy: z.array(z.string().min(1)).min(1),
  }),
});

/** One offload CronJob: a group of tables offloaded by one process, each in its own commit. */
export const OffloadRunSchema = z.strictObject({
  /** Run name; the CronJob is offload-<tenant>-<name>. */
  name: dnsLabel(30),
  /** Tenant whose namespace runs the job. */
  tenant: dnsLabel(),
  /** Hourly cron "<minute> * * * *" in UTC (the ADR minute of the group). */
  schedule: z.string(),
  /**
   * Expected run time in whole minutes, measured (`npm run bench`); the report and the schedule-conflict checks use it.
   * @default 2
   */
  expectedRuntimeMinutes: count(1).max(45).default(OFFLOAD_DEFAULTS.expectedRuntimeMinutes),
  tables: z.array(OffloadTableSchema).min(1),
});

/** The offload timing every rule below depends on. */
export interface OffloadTiming {
  readonly lagHours: number;
  readonly outageToleranceHours: number;
}

/** One table as the rules see it (the environment entry, or the construct's source and target). */
export interface OffloadTableRule {
  readonly eventTimeColumn: string;
  readonly ttlHours: number;
  readonly allowedLatenessHours: number;
  readonly target: { readonly namespace: string; readonly table: string; readonly partitionedBy: readonly string[] };
}

/** A rule's finding: where (relative to the run), the value as given, and what would be valid. */
export interface OffloadProblem {
  readonly path: (string | number)[];
  readonly value: unknown;
  readonly expected: string;
}

/**
 * The data-safety rules of one offload run, for the environment schema and the construct alike: an hourly schedule,
 * a TTL that outlives every hour a run may still write, an hourly partition spec, one writer per table.
 */
export function offloadRunProblems(
  run: { readonly schedule: string; readonly tables: readonly OffloadTableRule[] },
  timing: OffloadTiming,
): OffloadProblem[] {
  const problems: OffloadProblem[] = [];
  if (!HOURLY_SCHEDULE.test(run.schedule)) {
    problems.push({
      path: ['schedule'],
      value: run.schedule,
      expected: 'an hourly cron "<minute 0-59> * * * *" (the windows assume one run per hour)',
    });
  }
  // The oldest hour a run may write is lag + max(lateness, outage) hours old, plus up to one hour because the run
  // starts within the hour after the window closed: ClickHouse must still hold it, or replacing the hour would
  // delete its rows from Iceberg too.
  const horizon = timing.outageToleranceHours + 1;
  const targets = new Map<string, number>();
  run.tables.forEach((table, i) => {
    const needed = timing.lagHours + table.allowedLatenessHours + horizon;
    if (table.ttlHours < needed) {
      problems.push({
        path: ['tables', i, 'ttlHours'],
        value: table.ttlHours,
        expected:
          `at least ${needed} h = lag ${timing.lagHours} + allowed lateness ${table.allowedLatenessHours} + catch-up ` +
          `horizon ${horizon} (outage tolerance ${timing.outageToleranceHours} + the 1 h a run starts after its window): ` +
          'ClickHouse would delete rows before they are offloaded, and replacing such an hour would delete them from ' +
          'Iceberg too',
      });
    }
    const hourly = `hours(${table.eventTimeColumn})`;
    if (!table.target.partitionedBy.includes(hourly)) {
      problems.push({
        path: ['tables', i, 'target', 'partitionedBy'],
        value: table.target.partitionedBy,
        expected:
          `a spec containing ${hourly}: each run replaces whole hour partitions, and files spanning several hours ` +
          'would have to be rewritten (Iceberg: "Cannot delete file where some, but not all, rows match filter")',
      });
    }
    const fqn = `${table.target.namespace}.${table.target.table}`;
    const first = targets.get(fqn);
    if (first !== undefined) {
      problems.push({
        path: ['tables', i, 'target'],
        value: fqn,
        expected: `a table not already offloaded by tables[${first}] (two writers per hour)`,
      });
    } else targets.set(fqn, i);
  });
  return problems;
}

/** Hourly ClickHouse -> Iceberg offload (ADR-006 tier 1). */
export const OffloadSchema = z
  .strictObject({
    /**
     * The writer's image (`jobs/offload.Dockerfile`): set it to the environment's mirror of that image.
     * @default VERSIONS.offloadWriter.image
     */
    image: z.string().min(1).default(VERSIONS.offloadWriter.image),
    /** The ClickHouse server. */
    clickhouse: z.strictObject({
      /** Host name of its HTTP(S) interface (no scheme, port or path). */
      host: z.string().min(1).check(valueRule(clickHouseHostProblem)),
      /** HTTP(S) port. */
      port: count(1).max(65535),
      /** http or https. */
      protocol: z.enum(['http', 'https']),
      /** CIDR blocks of the ClickHouse hosts (network policy); neither /0 nor the whole VPC. */
      cidrs: z.array(cidr.check(valueRule((c: string) => clickHouseCidrProblem(c)))).min(1),
      /** Secret in each tenant namespace with the ClickHouse user and password. */
      credentialsSecret: z.strictObject({
        name: dnsLabel(253),
        userKey: z.string().min(1),
        passwordKey: z.string().min(1),
      }),
    }),
    /** Hours between the end of an hour and its first offload. @default 1 */
    lagHours: count(1).default(OFFLOAD_DEFAULTS.lagHours),
    /** Longest outage the offload catches up by itself (the catch-up horizon is this plus one hour). @default 24 */
    outageToleranceHours: count(1).default(OFFLOAD_DEFAULTS.outageToleranceHours),
    /** Most hours one run catches up beyond the lateness window (at least 2, so runs gain on the clock). @default 6 */
    maxCatchUpHours: count(2).default(OFFLOAD_DEFAULTS.maxCatchUpHours),
    runs: z.array(OffloadRunSchema).min(1),
  })
  .check(crossFieldRule([['runs'], ['lagHours'], ['outageToleranceHours']], offloadProblems));

/** Every run's rules, plus what spans runs: one CronJob per tenant and run name, one writer per table. */
function offloadProblems(offload: {
  readonly lagHours: number;
  readonly outageToleranceHours: number;
  readonly runs: readonly (z.infer<typeof OffloadRunSchema> & { readonly tables: readonly OffloadTableRule[] })[];
}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const names = new Map<string, number>();
  const writers = new Map<string, string>();
  offload.runs.forEach((run, r) => {
    for (const p of offloadRunProblems(run, offload))
      problems.push({ path: ['runs', r, ...p.path], expected: p.expected });
    const job = `${run.tenant}/${run.name}`;
    const first = names.get(job);
    if (first !== undefined) {
      problems.push({
        path: ['runs', r, 'name'],
        expected: `a run name not already used by runs[${first}] of tenant ${run.tenant} (both would be CronJob offload-${run.tenant}-${run.name})`,
      });
    } else names.set(job, r);
    run.tables.forEach((table, t) => {
      const fqn = `${table.target.namespace}.${table.target.table}`;
      const owner = writers.get(fqn);
      if (owner && !owner.startsWith(`runs[${r}].`)) {
        problems.push({
          path: ['runs', r, 'tables', t, 'target'],
          expected: `a table not already offloaded by ${owner} (two writers per hour)`,
        });
      } else if (!owner) writers.set(fqn, `runs[${r}].tables[${t}]`);
    });
  });
  return problems;
}

export type OffloadConfig = z.infer<typeof OffloadSchema>;
