/**
 * Job, CronJob and Deployment rules of the API server beyond the schema, ported one function per rule from
 * kubernetes/kubernetes `pkg/apis/batch/validation/validation.go` and `pkg/apis/apps/validation/validation.go`.
 */
import { show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { isEmptySelector, selectorMatches } from '../labels';
import { countOrPercent } from '../names';
import { asObject, JsonObject, valueAt } from '../object-access';

const nonNegative = (spec: JsonObject, fields: readonly string[], path: FieldPath): Problem[] =>
  fields.flatMap((field) => {
    const value = spec[field];
    return typeof value === 'number' && value < 0
      ? invalid([...path, field], value, ['must be greater than or equal to 0'])
      : [];
  });

/** `validateJobSpec`: counters and deadlines are non-negative, activeDeadlineSeconds positive. */
export function jobCounters(spec: JsonObject, path: FieldPath): Problem[] {
  const problems = nonNegative(
    spec,
    [
      'parallelism',
      'completions',
      'backoffLimit',
      'ttlSecondsAfterFinished',
      'backoffLimitPerIndex',
      'maxFailedIndexes',
    ],
    path,
  );
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0)
    problems.push(
      ...invalid([...path, 'activeDeadlineSeconds'], spec.activeDeadlineSeconds, ['must be greater than 0']),
    );
  return problems;
}

/** Indexed completion needs `completions`; per-index backoff needs Indexed completion. */
export function jobCompletionMode(spec: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const indexed = spec.completionMode === 'Indexed';
  if (indexed && spec.completions === undefined)
    problems.push({ path: [...path, 'completions'], message: 'Required value: when completion mode is Indexed' });
  if (!indexed && spec.backoffLimitPerIndex !== undefined)
    problems.push({
      path: [...path, 'backoffLimitPerIndex'],
      message: 'requires indexed completion mode',
    });
  return problems;
}

/** `validateCronJobSpec`: history limits and the starting deadline are non-negative. */
export function cronJobCounters(spec: JsonObject, path: FieldPath): Problem[] {
  return nonNegative(spec, ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], path);
}

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** `ValidateDeploymentSpec`: non-negative counters; progress deadline beyond minReadySeconds. */
export function deploymentCounters(spec: JsonObject, path: FieldPath): Problem[] {
  const problems = nonNegative(spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit'], path);
  // Defaulting (600 s) runs before validation.
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  if (typeof deadline === 'number') {
    if (deadline < 0)
      problems.push(...invalid([...path, 'progressDeadlineSeconds'], deadline, ['must be greater than or equal to 0']));
    else if (typeof spec.minReadySeconds === 'number' && deadline <= spec.minReadySeconds)
      problems.push(
        ...invalid([...path, 'progressDeadlineSeconds'], deadline, ['must be greater than minReadySeconds']),
      );
  }
  return problems;
}

function intOrPercent(value: unknown, path: FieldPath): Problem[] {
  return typeof value === 'number' || typeof value === 'string' ? invalid(path, value, countOrPercent(value)) : [];
}

function isZero(value: unknown): boolean {
  return value === 0 || value === '0%';
}

/** `ValidateDeploymentStrategy`: Recreate has no rollingUpdate; maxSurge and maxUnavailable are valid and not both 0. */
export function deploymentStrategy(spec: JsonObject, path: FieldPath): Problem[] {
  const strategy = asObject(spec.strategy);
  if (strategy === undefined) return [];
  const at = [...path, 'strategy'];
  const rolling = asObject(strategy.rollingUpdate);
  if (strategy.type === 'Recreate')
    return rolling
      ? [{ path: [...at, 'rollingUpdate'], message: "may not be specified when strategy `type` is 'Recreate'" }]
      : [];
  if (rolling === undefined) return [];
  const problems = [
    ...intOrPercent(rolling.maxUnavailable, [...at, 'rollingUpdate', 'maxUnavailable']),
    ...intOrPercent(rolling.maxSurge, [...at, 'rollingUpdate', 'maxSurge']),
  ];
  // Unset fields default to 25%.
  if (isZero(rolling.maxSurge) && isZero(rolling.maxUnavailable))
    problems.push(
      ...invalid([...at, 'rollingUpdate', 'maxUnavailable'], rolling.maxUnavailable, [
        'may not be 0 when `maxSurge` is 0',
      ]),
    );
  return problems;
}

/** A Job's selector, when set (`manualSelector`), must match its template's labels (controllers: label-selectors.ts). */
export function templateMatchesSelector(spec: JsonObject, path: FieldPath): Problem[] {
  const selector = spec.selector;
  if (selector === undefined || isEmptySelector(selector)) return [];
  const labels = valueAt(spec, ['template', 'metadata', 'labels']);
  return selectorMatches(selector, labels)
    ? []
    : [
        {
          path: [...path, 'template', 'metadata', 'labels'],
          message: `invalid value ${show(labels ?? {})}: \`selector\` does not match template \`labels\``,
        },
      ];
}

const RULES: Readonly<Record<string, readonly ((spec: JsonObject, path: FieldPath) => Problem[])[]>> = {
  Job: [jobCounters, jobCompletionMode, templateMatchesSelector],
  CronJob: [cronJobCounters],
  Deployment: [deploymentCounters, deploymentStrategy],
};

/** Job, CronJob (and its job template) and Deployment spec rules. */
export const workloads = perObject((target) => {
  const kind = target.object.kind as string;
  const spec = asObject(target.object.spec);
  if (spec === undefined || !Object.hasOwn(RULES, kind)) return [];
  const problems = RULES[kind].flatMap((rule) => rule(spec, ['spec']));
  const jobSpec = asObject(valueAt(spec, ['jobTemplate', 'spec']));
  if (kind === 'CronJob' && jobSpec)
    problems.push(
      ...[jobCounters, jobCompletionMode].flatMap((rule) => rule(jobSpec, ['spec', 'jobTemplate', 'spec'])),
    );
  return toFindings(target, problems);
});
