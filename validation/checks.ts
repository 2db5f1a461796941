import { ManifestCheck } from './finding';
import {
  configData,
  declaredNamespaces,
  labelSelectors,
  labelsAndAnnotations,
  limitRanges,
  networkPolicies,
  objectNames,
  podSpecs,
  priorityClasses,
  resourceQuotas,
  schedules,
  services,
  uniqueObjects,
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
  labelsAndAnnotations,
  labelSelectors,
  podSpecs,
  services,
  networkPolicies,
  schedules,
  resourceQuotas,
  limitRanges,
  priorityClasses,
  configData,
  yunikornQueues,
  uniqueObjects,
  declaredNamespaces,
  kubernetesPolicyCheck,
];
