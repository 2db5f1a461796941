import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import {
  DataPlaneError,
  EnvironmentConfig,
  environmentError,
  SCHEDULED_JOB_DEFAULT_RUNTIME_MINUTES,
  show,
} from '../../config';
import {
  checkRequired,
  checkTenantBudgets,
  collect,
  fillClickHouse,
  JOB_TEMPLATE_CATALOG,
  JobTemplateDefinition,
  notAParameter,
  ScheduledSparkJob,
  SparkJob,
  templateJobProps,
  templateNamed,
  TemplateParam,
} from '../../constructs/workloads';
import { commonLabels } from './data-plane';
import type { KubeObject } from '../../config';

/** Raised for a job request that cannot be rendered; one line per problem. */
export class JobRequestError extends DataPlaneError {}

/** What `npm run job -- render` asks for. */
export interface TemplateJobRequest {
  /** Template name (`npm run job -- list`). */
  readonly template: string;
  /** Tenant the job runs for. */
  readonly tenant: string;
  /** `key=value` assignments of the template's parameters (`a.b=…`, `list[0].x=…` for nested ones). */
  readonly set: readonly string[];
  /**
   * Object name.
   * @default - `<template>-<8 hex digits of the parameters>`, so the same request renders the same name
   */
  readonly name?: string;
  /**
   * A five-field cron: renders a ScheduledSparkApplication instead of a SparkApplication.
   * @default - a SparkApplication that runs once
   */
  readonly schedule?: string;
  /**
   * Expected run time in whole minutes, for scheduled jobs (the report and the conflict checks read it).
   * @default 30
   */
  readonly expectedRuntimeMinutes?: number;
}

/** A rendered job: its name and its objects (plan ConfigMap, ClickHouse egress if any, the custom resource). */
export interface RenderedTemplateJob {
  readonly name: string;
  readonly kind: 'SparkApplication' | 'ScheduledSparkApplication';
  readonly objects: readonly KubeObject[];
}

/**
 * Renders one job from a template for a tenant of `env`. Every problem (unknown template, tenant or parameter, a
 * missing or ill-typed value, a value the template refuses, a job that does not fit the tenant's quota) is reported
 * at once as a {@link JobRequestError}; nothing is returned unless the whole request is valid.
 */
export function renderTemplateJob(env: EnvironmentConfig, request: TemplateJobRequest): RenderedTemplateJob {
  const subject = `job ${request.template}`;
  const problems: string[] = [];
  const definition = templateNamed(request.template, 'template', problems);
  if (!env.tenants.some((t) => t.name === request.tenant)) {
    problems.push(
      `'--tenant' is ${show(request.tenant)}; expected a tenant of ${env.name}: ${env.tenants.map((t) => t.name).join(', ')}`,
    );
  }
  if (!definition) throw new JobRequestError(subject, problems);

  const options = parseAssignments(definition, request.set, problems);
  fillClickHouse(definition, env, options, problems);
  if (problems.length > 0) throw new JobRequestError(subject, problems);

  const chart = new Chart(new App(), 'job', { disableResourceNameHashes: true, labels: commonLabels(env) });
  const name = request.name ?? `${definition.name}-${digest(options)}`;
  const props = templateJobProps(env, definition, options, { tenant: request.tenant, name }, problems);
  const job =
    props &&
    collect(problems, () =>
      request.schedule === undefined
        ? new SparkJob(chart, 'Job', props)
        : new ScheduledSparkJob(chart, 'Job', {
            ...props,
            schedule: request.schedule,
            expectedRuntimeMinutes: request.expectedRuntimeMinutes ?? SCHEDULED_JOB_DEFAULT_RUNTIME_MINUTES,
          }),
    );
  if (!job) throw new JobRequestError(subject, problems);
  const budget = checkTenantBudgets(env, [{ tenant: request.tenant, name, peakDemand: job.peakDemand }]);
  if (budget.length > 0) problems.push(...environmentError(env, budget).problems);
  if (problems.length > 0) throw new JobRequestError(subject, problems);
  return {
    name,
    kind: request.schedule === undefined ? 'SparkApplication' : 'ScheduledSparkApplication',
    objects: chart.toJson() as KubeObject[],
  };
}

function digest(options: unknown): string {
  return createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 8);
}

/** One segment of an assignment's key: a field name or a list index. */
type Segment = string | number;

/** `layers[0].layer` → ['layers', 0, 'layer']; an empty last segment (`conf.`) is the empty map key. */
function splitKey(key: string): Segment[] | undefined {
  const segments: Segment[] = [];
  for (const part of key.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    segments.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments.length > 0 && segments[0] !== '' ? segments : undefined;
}

/** Builds the template's options from `key=value` assignments, typed by the template's parameters. */
function parseAssignments(
  definition: JobTemplateDefinition,
  assignments: readonly string[],
  problems: string[],
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  // A parameter whose value was refused is reported once, not again as missing.
  const refused = new Set<string>();
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const segments = eq > 0 ? splitKey(assignment.slice(0, eq)) : undefined;
    if (!segments) {
      problems.push(`'--set' is ${show(assignment)}; expected key=value, e.g. tables=trading.raw_trades`);
      continue;
    }
    const value = assignment.slice(eq + 1);
    const before = problems.length;
    assign(options, definition.params, segments, segments, value, problems);
    if (problems.length > before) refused.add(String(segments[0]));
  }
  checkRequired(definition.params, options, '', problems, refused);
  return options;
}

function keyText(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Sets `value` at `rest` under `target`, following the parameter tree `params`. */
function assign(
  target: Record<string, unknown>,
  params: Readonly<Record<string, TemplateParam>>,
  rest: readonly Segment[],
  whole: readonly Segment[],
  value: string,
  problems: string[],
): void {
  const [head, ...tail] = rest;
  const key = keyText(whole);
  const param = typeof head === 'string' ? params[head] : undefined;
  if (!param || param.type === 'clickhouse') {
    problems.push(notAParameter(params, key, param));
    return;
  }
  const name = head as string;
  const wrong = (expected: string): void => {
    problems.push(`'${key}' is ${show(value)}; expected ${expected}`);
  };
  switch (param.type) {
    case 'object': {
      if (tail.length === 0 || typeof tail[0] !== 'string') return wrong(`fields: ${key}.<field>=<value>`);
      const inner = (target[name] ??= {}) as Record<string, unknown>;
      return assign(inner, param.fields!, tail, whole, value, problems);
    }
    case 'object-list': {
      if (typeof tail[0] !== 'number' || typeof tail[1] !== 'string')
        return wrong(`elements: ${key}[<index>].<field>=<value>`);
      const list = (target[name] ??= []) as Record<string, unknown>[];
      const element = (list[tail[0]] ??= {});
      return assign(element, param.fields!, tail.slice(1), whole, value, problems);
    }
    case 'string-map': {
      if (tail.length !== 1 || typeof tail[0] !== 'string') return wrong(`entries: ${key}.<entry>=<value>`);
      const map = (target[name] ??= {}) as Record<string, string>;
      map[tail[0]] = value;
      return;
    }
  }
  if (tail.length > 0) return wrong(`a ${param.type} for ${keyText(whole.slice(0, whole.length - tail.length))}`);
  if (name in target) {
    problems.push(`'${key}' is set twice; expected one value`);
    return;
  }
  switch (param.type) {
    case 'string':
      if (value === '') return wrong('a non-empty string');
      target[name] = value;
      return;
    case 'integer':
      if (!/^-?\d+$/.test(value)) return wrong('a whole number');
      target[name] = Number(value);
      return;
    case 'boolean':
      if (value !== 'true' && value !== 'false') return wrong('true or false');
      target[name] = value === 'true';
      return;
    case 'string-list': {
      const items = value.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) return wrong('a comma-separated list of non-empty values');
      target[name] = items;
      return;
    }
  }
}

/** `npm run job -- list`: every template with its parameters, from the same definitions the constructs use. */
export function formatTemplateList(): string {
  const lines: string[] = [];
  const describe = (params: Readonly<Record<string, TemplateParam>>, indent: string) => {
    for (const [name, p] of Object.entries(params)) {
      const status = p.required ? 'required' : p.default !== undefined ? `default ${show(p.default)}` : 'optional';
      lines.push(`${indent}${name}  (${p.type}, ${status})  ${p.description}`);
      if (p.fields) describe(p.fields, `${indent}    `);
    }
  };
  for (const definition of Object.values(JOB_TEMPLATE_CATALOG)) {
    lines.push(`${definition.name}: ${definition.description}`);
    describe(definition.params, '    ');
  }
  return lines.join('\n');
}
