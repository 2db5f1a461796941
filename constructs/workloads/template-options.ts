import { DataPlaneError, EnvironmentConfig, show } from '../../config';
import { JOB_TEMPLATE_CATALOG, JobTemplateDefinition, TemplateParam } from './job-template-catalog';
import { SparkJobProps } from './spark-application';
import { environmentCatalog, SparkJobClickHouse } from './spark-job';

/**
 * The checks and the environment-given settings every job built from a template goes through, whether its parameters
 * come from the command line (`npm run job -- render`) or from the environment file (`jobs.scheduled`).
 */

/** The template called `name`, or undefined with the problem recorded under `key`. */
export function templateNamed(name: string, key: string, problems: string[]): JobTemplateDefinition | undefined {
  const definition = JOB_TEMPLATE_CATALOG[name];
  if (!definition)
    problems.push(`'${key}' is ${show(name)}; expected one of ${Object.keys(JOB_TEMPLATE_CATALOG).join(', ')}`);
  return definition;
}

/** What a template job takes from its environment and its request, besides the template's parameters. */
export interface TemplateJobTarget {
  readonly tenant: string;
  readonly name: string;
}

/**
 * The props of a job built from `definition` with `options` for a tenant of `env`, or undefined with every problem
 * recorded: the template checks every value ({@link fillClickHouse} has given it the environment's ClickHouse server).
 */
export function templateJobProps(
  env: EnvironmentConfig,
  definition: JobTemplateDefinition,
  options: Record<string, unknown>,
  target: TemplateJobTarget,
  problems: string[],
): SparkJobProps | undefined {
  return collect(problems, () => ({
    ...definition.build(options),
    tenant: target.tenant,
    name: target.name,
    image: env.jobs.image,
    catalog: environmentCatalog(env),
    eventLogBucket: env.storage.eventLogBucket,
  }));
}

/** Runs `build`, turning the template's or the construct's own problems into lines of `problems`. */
export function collect<T>(problems: string[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof DataPlaneError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/**
 * The problem with `key` naming no settable parameter of `params`: unknown, or the ClickHouse connection, which the
 * environment file supplies.
 */
export function notAParameter(
  params: Readonly<Record<string, TemplateParam>>,
  key: string,
  param: TemplateParam | undefined,
): string {
  const known = Object.entries(params)
    .filter(([, p]) => p.type !== 'clickhouse')
    .map(([k]) => k);
  const why = param ? ' (it comes from the environment file)' : '';
  return `'${key}' is not a parameter here${why}; expected one of ${known.join(', ')}`;
}

/**
 * Checks parameters written as structured values (the environment file's `parameters`) against the template's
 * parameter tree: known keys, the type of each value, and every required one present.
 */
export function checkParameterValues(
  params: Readonly<Record<string, TemplateParam>>,
  values: Readonly<Record<string, unknown>>,
  prefix: string,
  problems: string[],
): void {
  const refused = new Set<string>();
  for (const [name, value] of Object.entries(values)) {
    const key = `${prefix}${name}`;
    const param = params[name];
    if (!param || param.type === 'clickhouse') {
      problems.push(notAParameter(params, key, param));
      refused.add(name);
      continue;
    }
    const expected = valueProblem(param, value);
    if (expected) {
      problems.push(`'${key}' is ${show(value)}; expected ${expected}`);
      refused.add(name);
      continue;
    }
    if (param.type === 'object')
      checkParameterValues(param.fields!, value as Record<string, unknown>, `${key}.`, problems);
    if (param.type === 'object-list')
      (value as Record<string, unknown>[]).forEach((element, i) =>
        checkParameterValues(param.fields!, element, `${key}[${i}].`, problems),
      );
  }
  checkRequired(params, values, prefix, problems, refused, false);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a value of `param` must be, when `value` is not one. */
function valueProblem(param: TemplateParam, value: unknown): string | undefined {
  switch (param.type) {
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : 'a non-empty string';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'string-list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')
        ? undefined
        : 'a list of non-empty strings';
    case 'string-map':
      return isRecord(value) && Object.values(value).every((v) => typeof v === 'string')
        ? undefined
        : 'a mapping of names to strings';
    case 'object':
      return isRecord(value) ? undefined : 'a mapping of fields';
    case 'object-list':
      return Array.isArray(value) && value.every(isRecord) ? undefined : 'a list of mappings of fields';
    case 'clickhouse':
      return undefined;
  }
}

/**
 * Reports every required parameter (and required field of a given object) that is missing. `recurse` walks into the
 * given objects too (the command line's assignments, which nothing else checks field by field).
 */
export function checkRequired(
  params: Readonly<Record<string, TemplateParam>>,
  options: Readonly<Record<string, unknown>>,
  prefix: string,
  problems: string[],
  refused: ReadonlySet<string> = new Set(),
  recurse = true,
): void {
  for (const [name, param] of Object.entries(params)) {
    const key = `${prefix}${name}`;
    const value = options[name];
    if (refused.has(name)) continue;
    if (value === undefined) {
      if (param.required && param.type !== 'clickhouse')
        problems.push(`'${key}' is missing; expected a value (${param.description})`);
      continue;
    }
    if (!recurse) continue;
    if (param.type === 'object') checkRequired(param.fields!, value as Record<string, unknown>, `${key}.`, problems);
    if (param.type === 'object-list') {
      const list = value as (Record<string, unknown> | undefined)[];
      for (let i = 0; i < list.length; i++) {
        if (list[i] === undefined) problems.push(`'${key}[${i}]' is missing; expected the elements numbered from 0`);
        else checkRequired(param.fields!, list[i]!, `${key}[${i}].`, problems);
      }
    }
  }
}

/**
 * Fills the `clickhouse` parameter from the environment's offload server, with the database of the first ClickHouse
 * table the options name (an ETL source `clickhouse.<db>.<table>`, or an audit layer's `<db>.<table>`).
 */
export function fillClickHouse(
  definition: JobTemplateDefinition,
  env: EnvironmentConfig,
  options: Record<string, unknown>,
  problems: string[],
): void {
  const param = definition.params.clickhouse;
  if (param?.type !== 'clickhouse') return;
  const source = typeof options.source === 'string' ? options.source.split('.') : [];
  const layers = Array.isArray(options.layers) ? (options.layers as { clickhouseTable?: unknown }[]) : [];
  const database =
    source.length === 3 && source[0] === 'clickhouse'
      ? source[1]
      : typeof layers[0]?.clickhouseTable === 'string'
        ? layers[0].clickhouseTable.split('.')[0]
        : undefined;
  if (database === undefined) return; // not needed, or the missing table is reported by the template itself
  const server = env.offload?.clickhouse;
  if (!server) {
    problems.push(
      `'offload.clickhouse' of ${env.name} is missing; expected the ClickHouse server this ${definition.name} job reads`,
    );
    return;
  }
  const clickhouse: SparkJobClickHouse = { ...server, database };
  options.clickhouse = clickhouse;
}
