import { finding, ManifestCheck, ManifestObject } from '../validation/finding';
import type { KubeObject } from '../stacks/k8s/render';
import { isKubeObject, KUBERNETES_RULES } from './kubernetes-rules';
import { runRules } from './rule';

/**
 * The mandatory Kubernetes rules as one `npm run validate` check, so CI synth rejects what `pulumi preview` would.
 * Advisory rules stay out: every validate finding fails the build.
 */
export const kubernetesPolicyCheck: ManifestCheck = (objects) => {
  const sources = new Map<KubeObject, ManifestObject>();
  for (const target of objects) if (isKubeObject(target.object)) sources.set(target.object, target);
  const mandatory = KUBERNETES_RULES.filter((rule) => rule.enforcementLevel === 'mandatory');
  return runRules(mandatory, [...sources.keys()]).map(({ rule, violation }) =>
    finding(sources.get(violation.subject)!, [], `${violation.detail} (policy ${rule.name})`),
  );
};
