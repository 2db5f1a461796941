import type { KubeObject } from '../../config';
import { isKubeObject, KUBERNETES_RULES, runRules, SYNTHESIZED_LABEL } from '../../policies/index';
import { finding, ManifestCheck, ManifestObject } from '../finding';

/** True for an object this package synthesized (every object in dist/ carries the chart label). */
function isSynthesized(value: unknown): value is KubeObject {
  return (
    isKubeObject(value) &&
    (value.metadata.labels as Record<string, string> | undefined)?.[SYNTHESIZED_LABEL.key] === SYNTHESIZED_LABEL.value
  );
}

/**
 * The mandatory Kubernetes rules as one `npm run validate` check, so CI synth rejects what `pulumi preview` would.
 * It judges the objects this package synthesized; other manifests given to the validator (hand-written fixtures) are
 * only checked against the API server's rules. Advisory rules stay out: every validate finding fails the build.
 */
export const kubernetesPolicyCheck: ManifestCheck = (objects) => {
  const sources = new Map<KubeObject, ManifestObject>();
  for (const target of objects) if (isSynthesized(target.object)) sources.set(target.object, target);
  const mandatory = KUBERNETES_RULES.filter((rule) => rule.enforcementLevel === 'mandatory');
  return runRules(mandatory, [...sources.keys()]).map(({ rule, violation }) =>
    finding(sources.get(violation.subject)!, [], `${violation.detail} (policy ${rule.name})`),
  );
};
