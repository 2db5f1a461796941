import { isQuantity, parseQuantity, show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { qualifiedName } from '../names';
import { asArray, asObject, JsonObject } from '../object-access';
import { isExtendedResource, isPrefixed } from '../resource-names';

/** Unprefixed names a quota may limit (`standardQuotaResources`), besides `hugepages-*` and `requests.hugepages-*`. */
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);

/** Object counts: whole numbers only. */
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

const SCOPES = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
];
const POD_COMPUTE_RESOURCES = new Set([
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);
const CONFLICTING_SCOPES = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];
/** Scopes a selector may only test for existence. */
const EXISTENCE_ONLY_SCOPES = new Set([
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'CrossNamespacePodAffinity',
]);

/** `ValidateResourceQuotaSpec` (1.28): resource names and values, scopes known, compatible and not conflicting. */
export const resourceQuotas = perObject((target) => {
  if (target.object.kind !== 'ResourceQuota') return [];
  const spec = asObject(target.object.spec) ?? {};
  const hard = Object.entries(asObject(spec.hard) ?? {});
  const problems: Problem[] = hard.flatMap(([name, value]) => hardProblems(name, value));
  const scopes = asArray(spec.scopes).map((scope, index) => ({ scope, path: ['spec', 'scopes', index] as FieldPath }));
  problems.push(
    ...scopeProblems(
      scopes,
      hard.map(([name]) => name),
      ['spec', 'scopes'],
    ),
  );
  const expressions = asArray(asObject(spec.scopeSelector)?.matchExpressions).map((item, index) => ({
    expression: asObject(item) ?? {},
    path: ['spec', 'scopeSelector', 'matchExpressions', index] as FieldPath,
  }));
  problems.push(
    ...scopeProblems(
      expressions.map(({ expression, path }) => ({ scope: expression.scopeName, path: [...path, 'scopeName'] })),
      hard.map(([name]) => name),
      ['spec', 'scopeSelector'],
    ),
  );
  for (const { expression, path } of expressions) problems.push(...selectorOperatorProblems(expression, path));
  return toFindings(target, problems);
});

function hardProblems(name: string, value: unknown): Problem[] {
  const at = ['spec', 'hard', name];
  const problems = invalid(['spec', 'hard'], name, isPrefixed(name) ? qualifiedName(name) : []);
  const standard =
    STANDARD_QUOTA_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
  if (!isPrefixed(name) && !standard)
    problems.push(...invalid(['spec', 'hard'], name, ['must be a standard resource for quota']));
  if (!isQuantity(value)) return problems;
  const quantity = parseQuantity(value);
  if (quantity < 0) problems.push(...invalid(at, value, ['must be greater than or equal to 0']));
  if ((INTEGER_RESOURCES.has(name) || isExtendedResource(name)) && !Number.isInteger(quantity))
    problems.push(...invalid(at, value, ['must be an integer']));
  return problems;
}

function scopeProblems(
  scopes: readonly { scope: unknown; path: FieldPath }[],
  resources: readonly string[],
  conflictPath: FieldPath,
): Problem[] {
  const problems: Problem[] = [];
  for (const { scope, path } of scopes) {
    if (typeof scope !== 'string') continue;
    if (!SCOPES.includes(scope)) {
      problems.push({
        path,
        message: `unsupported scope ${show(scope)}; supported scopes: ${SCOPES.map((s) => show(s)).join(', ')}`,
      });
      continue;
    }
    for (const resource of resources) {
      if (STANDARD_QUOTA_RESOURCES.has(resource) && !scopeAppliesTo(scope, resource)) {
        problems.push({ path, message: `unsupported scope ${show(scope)} applied to resource ${show(resource)}` });
      }
    }
  }
  const present = new Set(scopes.map(({ scope }) => scope));
  for (const pair of CONFLICTING_SCOPES) {
    if (pair.every((scope) => present.has(scope)))
      problems.push({ path: conflictPath, message: `conflicting scopes ${pair.map((s) => show(s)).join(' and ')}` });
  }
  return problems;
}

/** `IsResourceQuotaScopeValidForResource`: pod scopes limit only pod counts and compute; BestEffort only pod counts. */
function scopeAppliesTo(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  return resource === 'pods' || POD_COMPUTE_RESOURCES.has(resource);
}

function selectorOperatorProblems(expression: JsonObject, path: FieldPath): Problem[] {
  const { scopeName, operator } = expression;
  const values = asArray(expression.values).length;
  const problems: Problem[] = [];
  if (typeof scopeName === 'string' && EXISTENCE_ONLY_SCOPES.has(scopeName) && operator !== 'Exists') {
    problems.push(...invalid([...path, 'operator'], operator, [`must be 'Exists' when the scope is ${scopeName}`]));
  }
  if ((operator === 'In' || operator === 'NotIn') && values === 0) {
    problems.push({
      path: [...path, 'values'],
      message: "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    });
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values > 0) {
    problems.push({
      path: [...path, 'values'],
      message: "must be no value when `operator` is 'Exists' or 'DoesNotExist' for scope selector",
    });
  } else if (typeof operator === 'string' && !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) {
    problems.push(...invalid([...path, 'operator'], operator, ['not a valid selector operator']));
  }
  return problems;
}
