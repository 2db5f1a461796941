import { ManifestCheck } from './finding';
import {
  configData,
  declaredNamespaces,
  disruptionBudgets,
  labelSelectors,
  labelsAndAnnotations,
  limitRanges,
  networkPolicies,
  objectMetadata,
  objectNames,
  podSecurity,
  podSpecs,
  priorityClasses,
  rbac,
  references,
  resourceQuotas,
  schedules,
  services,
  sparkPodFields,
  uniqueObjects,
  workloads,
  yunikornQueues,
} from './rules';
import { schemaCheck } from './schema-check';
import { kubernetesPolicyCheck } from './rules/kubernetes-policies';

/**
 * Every check `npm run validate`, `validateObjects` and `validateDirectory` run. A new rule (object- or
 * environment-level) is one more entry here.
 */
export const MANIFEST_CHECKS: readonly ManifestCheck[] = [
  schemaCheck,
  objectNames,
  objectMetadata,
  labelsAndAnnotations,
  labelSelectors,
  podSpecs,
  sparkPodFields,
  workloads,
  services,
  disruptionBudgets,
  rbac,
  networkPolicies,
  schedules,
  resourceQuotas,
  limitRanges,
  priorityClasses,
  configData,
  yunikornQueues,
  uniqueObjects,
  declaredNamespaces,
  podSecurity,
  references,
  kubernetesPolicyCheck,
];
