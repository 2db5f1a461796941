/**
 * Pod Security admission: a Namespace's `pod-security.kubernetes.io/*` labels must parse (the plugin rejects the
 * Namespace otherwise), and every pod created in a namespace must meet the level it enforces: pods of workload
 * templates (the controller's pods would be rejected) and the Spark driver and executor pods the operator creates.
 */
import { show } from '../../config';
import { finding, Finding, ManifestCheck, ManifestObject, Problem, toFindings } from '../finding';
import { asObject, asString, stringEntries } from '../object-access';
import { podSecurityProblems, PodSecurityLevel, POD_SECURITY_LEVELS, podViewOf } from '../pod-security-standards';
import { podTemplates } from '../pod-templates';
import { sparkPods, sparkPodView } from '../spark-pods';

const PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'];
const VERSION = /^(latest|v1\.(0|[1-9][0-9]*))$/;

/** `policy.ParseLevel` / `ParseVersion` for each mode label of a Namespace. */
export function podSecurityLabels(labels: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of stringEntries(labels)) {
    if (!key.startsWith(PREFIX)) continue;
    const [mode, suffix] = key.slice(PREFIX.length).split('-');
    const at = ['metadata', 'labels', key];
    if (!MODES.includes(mode) || (suffix !== undefined && suffix !== 'version'))
      problems.push({
        path: at,
        message: `unknown Pod Security label; expected ${PREFIX}{enforce,audit,warn}[-version]`,
      });
    else if (suffix === undefined && !POD_SECURITY_LEVELS.includes(value as PodSecurityLevel))
      problems.push({
        path: at,
        message: `invalid value ${show(value)}: must be one of privileged, baseline, restricted`,
      });
    else if (suffix === 'version' && !VERSION.test(value))
      problems.push({ path: at, message: `invalid value ${show(value)}: must be "latest" or "v1.<minor>"` });
  }
  return problems;
}

/** Each namespace's enforced level (absent label: privileged). */
function enforcedLevels(objects: readonly ManifestObject[]): Map<string, PodSecurityLevel> {
  const levels = new Map<string, PodSecurityLevel>();
  for (const { object } of objects) {
    const metadata = asObject(object.metadata);
    const name = asString(metadata?.name);
    const level = asString(asObject(metadata?.labels)?.[`${PREFIX}enforce`]);
    if (object.kind === 'Namespace' && name && POD_SECURITY_LEVELS.includes(level as PodSecurityLevel))
      levels.set(name, level as PodSecurityLevel);
  }
  return levels;
}

export const podSecurity: ManifestCheck = (objects) => {
  const levels = enforcedLevels(objects);
  const findings: Finding[] = [];
  for (const target of objects) {
    const { object } = target;
    if (object.kind === 'Namespace')
      findings.push(...toFindings(target, podSecurityLabels(asObject(object.metadata)?.labels)));
    const namespace = asString(asObject(object.metadata)?.namespace);
    const level = namespace === undefined ? undefined : levels.get(namespace);
    if (level === undefined || level === 'privileged') continue;
    const problems: Problem[] = [];
    for (const { path, template, sparkOperator } of podTemplates(object)) {
      const spec = asObject(template.spec);
      // Spark templates are part of the Spark pods below (sparkPods covers every kind with operator templates).
      if (spec && !sparkOperator)
        problems.push(
          ...podSecurityProblems(
            podViewOf(spec, [...path, 'spec'], asObject(asObject(template.metadata)?.annotations)),
            level,
          ),
        );
    }
    for (const pod of sparkPods(object)) problems.push(...podSecurityProblems(sparkPodView(pod), level));
    findings.push(
      ...problems.map((p) => finding(target, p.path, `${p.message}; namespace ${show(namespace)} enforces it`)),
    );
  }
  return findings;
};
