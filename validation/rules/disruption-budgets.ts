/** PodDisruptionBudget rules of `pkg/apis/policy/validation/validation.go` beyond the schema. */
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { countOrPercent } from '../names';
import { asObject, JsonObject } from '../object-access';

/** `ValidatePodDisruptionBudgetSpec`: minAvailable xor maxUnavailable, each a non-negative count or a percentage ≤ 100%. */
export function disruptionBudgetSpec(spec: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
    problems.push({ path, message: 'minAvailable and maxUnavailable cannot be both set' });
  for (const field of ['minAvailable', 'maxUnavailable']) {
    const value = spec[field];
    if (typeof value === 'number' || typeof value === 'string')
      problems.push(...invalid([...path, field], value, countOrPercent(value)));
  }
  const policy = spec.unhealthyPodEvictionPolicy;
  if (typeof policy === 'string' && !['IfHealthyBudget', 'AlwaysAllow'].includes(policy))
    problems.push({
      path: [...path, 'unhealthyPodEvictionPolicy'],
      message: `unsupported value "${policy}"; supported values: "IfHealthyBudget", "AlwaysAllow"`,
    });
  return problems;
}

export const disruptionBudgets = perObject((target) => {
  const spec = asObject(target.object.spec);
  return target.object.kind === 'PodDisruptionBudget' && spec
    ? toFindings(target, disruptionBudgetSpec(spec, ['spec']))
    : [];
});
