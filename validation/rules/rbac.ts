/**
 * RBAC rules of the API server beyond the schema, ported one function per rule from kubernetes/kubernetes
 * `pkg/apis/rbac/validation/validation.go`.
 */
import { show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { dns1123Label, dns1123Subdomain, pathSegmentName } from '../names';
import { asArray, asObject, asString, JsonObject } from '../object-access';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/** `ValidatePolicyRule`: verbs always; API groups and resources, or non-resource URLs (cluster roles only), not both. */
export function policyRule(rule: JsonObject, path: FieldPath, namespaced: boolean): Problem[] {
  const problems: Problem[] = [];
  const count = (field: string) => asArray(rule[field]).length;
  if (count('verbs') === 0)
    problems.push({ path: [...path, 'verbs'], message: 'verbs must contain at least one value' });
  if (count('nonResourceURLs') > 0) {
    if (namespaced)
      problems.push({
        path: [...path, 'nonResourceURLs'],
        message: 'namespaced rules cannot apply to non-resource URLs',
      });
    if (count('apiGroups') > 0 || count('resources') > 0 || count('resourceNames') > 0)
      problems.push({
        path: [...path, 'nonResourceURLs'],
        message: 'rules cannot apply to both regular resources and non-resource URLs',
      });
    return problems;
  }
  if (count('apiGroups') === 0)
    problems.push({ path: [...path, 'apiGroups'], message: 'resource rules must supply at least one api group' });
  if (count('resources') === 0)
    problems.push({ path: [...path, 'resources'], message: 'resource rules must supply at least one resource' });
  return problems;
}

/** `ValidateRoleBinding`: roleRef names a Role or ClusterRole (ClusterRole only for a ClusterRoleBinding) of the RBAC group. */
export function roleRef(ref: JsonObject | undefined, path: FieldPath, clusterBinding: boolean): Problem[] {
  if (ref === undefined) return [{ path, message: 'Required value' }];
  const problems: Problem[] = [];
  const kinds = clusterBinding ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (ref.apiGroup !== RBAC_GROUP)
    problems.push({
      path: [...path, 'apiGroup'],
      message: `unsupported value ${show(ref.apiGroup ?? '')}; supported values: "${RBAC_GROUP}"`,
    });
  if (typeof ref.kind !== 'string' || !kinds.includes(ref.kind))
    problems.push({
      path: [...path, 'kind'],
      message: `unsupported value ${show(ref.kind ?? '')}; supported values: ${kinds.map((k) => show(k)).join(', ')}`,
    });
  const name = asString(ref.name);
  if (!name) problems.push({ path: [...path, 'name'], message: 'Required value' });
  else problems.push(...invalid([...path, 'name'], name, pathSegmentName(name)));
  return problems;
}

/** `ValidateRoleBindingSubject`: a known kind with the API group it requires, a valid name and, for ServiceAccounts, namespace. */
export function subject(value: JsonObject, path: FieldPath, clusterBinding: boolean): Problem[] {
  const problems: Problem[] = [];
  const name = asString(value.name);
  if (!name) problems.push({ path: [...path, 'name'], message: 'Required value' });
  switch (value.kind) {
    case 'ServiceAccount':
      if (name) problems.push(...invalid([...path, 'name'], name, dns1123Subdomain(name)));
      if (value.apiGroup !== undefined && value.apiGroup !== '')
        problems.push({
          path: [...path, 'apiGroup'],
          message: `unsupported value ${show(value.apiGroup)}; supported values: ""`,
        });
      if (clusterBinding && !value.namespace)
        problems.push({ path: [...path, 'namespace'], message: 'Required value' });
      if (typeof value.namespace === 'string' && value.namespace !== '')
        problems.push(...invalid([...path, 'namespace'], value.namespace, dns1123Label(value.namespace)));
      break;
    case 'User':
    case 'Group':
      if (value.apiGroup !== RBAC_GROUP)
        problems.push({
          path: [...path, 'apiGroup'],
          message: `unsupported value ${show(value.apiGroup ?? '')}; supported values: "${RBAC_GROUP}"`,
        });
      break;
    default:
      problems.push({
        path: [...path, 'kind'],
        message: `unsupported value ${show(value.kind ?? '')}; supported values: ${SUBJECT_KINDS.map((k) => show(k)).join(', ')}`,
      });
  }
  return problems;
}

/** Roles' rules, bindings' roleRef and subjects. */
export const rbac = perObject((target) => {
  const { object } = target;
  const problems: Problem[] = [];
  if (object.kind === 'Role' || object.kind === 'ClusterRole') {
    // An aggregated ClusterRole's rules are filled in by the controller.
    asArray(object.rules).forEach((rule, i) => {
      const value = asObject(rule);
      if (value) problems.push(...policyRule(value, ['rules', i], object.kind === 'Role'));
    });
  }
  if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
    const cluster = object.kind === 'ClusterRoleBinding';
    problems.push(...roleRef(asObject(object.roleRef), ['roleRef'], cluster));
    asArray(object.subjects).forEach((item, i) => {
      const value = asObject(item);
      if (value) problems.push(...subject(value, ['subjects', i], cluster));
    });
  }
  return toFindings(target, problems);
});
