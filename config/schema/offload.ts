import { z } from 'zod';
import { clickHouseCidrProblem, clickHouseHostProblem } from '../clickhouse';
import { cidr, count, dnsLabel } from './common';
import { valueRule } from './rules';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier (letters, digits, "_")');

/** One ClickHouse table and its Iceberg target; the construct checks TTL and partition alignment. */
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
  /** The Iceberg table. */
  target: z.strictObject({
    /** Iceberg namespace. */
    namespace: identifier,
    /** Iceberg table name. */
    table: identifier,
    /** Partition transforms of the table, e.g. [hours(event_ts)]. */
    partitionedBy: z.array(z.string().min(1)).min(1),
  }),
});

/** One offload CronJob: a group of tables offloaded in one JVM, in the listed (dependency) order. */
export const OffloadRunSchema = z.strictObject({
  /** Run name; the CronJob is offload-<tenant>-<name>. */
  name: dnsLabel(30),
  /** Tenant whose namespace runs the job. */
  tenant: dnsLabel(),
  /** Hourly cron "<minute> * * * *" in UTC (the ADR minute of the group). */
  schedule: z.string(),
  tables: z.array(OffloadTableSchema).min(1),
});

/** Hourly ClickHouse -> Iceberg offload. */
export const OffloadSchema = z.strictObject({
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
  /** Hours between the end of an hour and its first offload. */
  lagHours: count(1),
  /** Longest outage the offload catches up by itself (the catch-up horizon is this plus one hour). */
  outageToleranceHours: count(1),
  runs: z.array(OffloadRunSchema).min(1),
});

export type OffloadConfig = z.infer<typeof OffloadSchema>;
