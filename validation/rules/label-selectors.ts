import { FieldPath } from '../field-path';
import { perObject, Problem, toFindings } from '../finding';
import { isEmptySelector, labelSelectorProblems, selectorMatches } from '../labels';
import { asArray, asObject, JsonObject, valueAt } from '../object-access';
import { podTemplates } from '../pod-templates';

/** Controllers whose `spec.selector` must select their own pod template. */
const CONTROLLERS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

const AFFINITIES = ['podAffinity', 'podAntiAffinity'] as const;
const AFFINITY_TERM_LISTS = [
  'requiredDuringSchedulingIgnoredDuringExecution',
  'preferredDuringSchedulingIgnoredDuringExecution',
] as const;

/**
 * Label selectors: valid wherever they appear (controllers, PodDisruptionBudgets, topology spread and pod affinity
 * terms); a controller's selector non-empty and matching its template; a CronJob's job template without one.
 */
export const labelSelectors = perObject((target) => {
  const { object } = target;
  const problems: Problem[] = [];
  if (CONTROLLERS.has(object.kind as string) || object.kind === 'PodDisruptionBudget') {
    problems.push(...labelSelectorProblems(valueAt(object, ['spec', 'selector']), ['spec', 'selector']));
  }
  if (CONTROLLERS.has(object.kind as string)) problems.push(...controllerSelectorProblems(object));
  if (object.kind === 'CronJob') {
    const jobSpec = asObject(valueAt(object, ['spec', 'jobTemplate', 'spec']));
    if (jobSpec?.selector !== undefined) {
      problems.push({
        path: ['spec', 'jobTemplate', 'spec', 'selector'],
        message: "must not be set: the selector of a CronJob's jobs is generated",
      });
    }
    if (jobSpec?.manualSelector === true) {
      problems.push({
        path: ['spec', 'jobTemplate', 'spec', 'manualSelector'],
        message: 'unsupported value true; supported values: false, or unset',
      });
    }
  }
  for (const { path, template } of podTemplates(object))
    problems.push(...podSpecSelectorProblems(asObject(template.spec), [...path, 'spec']));
  return toFindings(target, problems);
});

function controllerSelectorProblems(object: JsonObject): Problem[] {
  const selector = valueAt(object, ['spec', 'selector']);
  if (selector === undefined) return [];
  if (isEmptySelector(selector))
    return [{ path: ['spec', 'selector'], message: `empty selector is invalid for ${String(object.kind)}` }];
  const labels = valueAt(object, ['spec', 'template', 'metadata', 'labels']);
  return selectorMatches(selector, labels)
    ? []
    : [{ path: ['spec', 'template', 'metadata', 'labels'], message: '`selector` does not match template `labels`' }];
}

function podSpecSelectorProblems(spec: JsonObject | undefined, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  asArray(spec?.topologySpreadConstraints).forEach((constraint, index) => {
    const selector = asObject(constraint)?.labelSelector;
    problems.push(...labelSelectorProblems(selector, [...path, 'topologySpreadConstraints', index, 'labelSelector']));
  });
  for (const affinity of AFFINITIES) {
    for (const list of AFFINITY_TERM_LISTS) {
      const at: FieldPath = [...path, 'affinity', affinity, list];
      asArray(valueAt(spec, ['affinity', affinity, list])).forEach((item, index) => {
        // Preferred terms wrap the term in `podAffinityTerm`.
        const inner = list === 'preferredDuringSchedulingIgnoredDuringExecution' ? ['podAffinityTerm'] : [];
        const term = asObject(valueAt(item, inner));
        for (const field of ['labelSelector', 'namespaceSelector']) {
          problems.push(...labelSelectorProblems(term?.[field], [...at, index, ...inner, field]));
        }
      });
    }
  }
  return problems;
}
