import { finding, Finding, ManifestCheck, ManifestObject } from '../finding';
import { asObject, asString } from '../object-access';

/** Namespaces every cluster has. */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * No two objects of an environment share (group, kind, namespace, name): kubectl would apply the last one over the
 * first, Pulumi would fail on the second.
 */
export const uniqueObjects: ManifestCheck = (objects, { schemas }) => {
  const first = new Map<string, ManifestObject>();
  const findings: Finding[] = [];
  for (const target of objects) {
    const { apiVersion, kind } = target.object;
    const metadata = asObject(target.object.metadata);
    const name = asString(metadata?.name);
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || name === undefined) continue;
    // Cluster-scoped objects share one name space whatever namespace cdk8s stamped on them.
    const namespace = schemas.isNamespaced(apiVersion, kind) === false ? '' : (asString(metadata?.namespace) ?? '');
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const key = JSON.stringify([group, kind, namespace, name]);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, target);
    else
      findings.push(
        finding(
          target,
          ['metadata', 'name'],
          `duplicate object: also defined in ${earlier.file} (document ${earlier.document})`,
        ),
      );
  }
  return findings;
};

/** Every namespaced object is in a namespace the environment creates, or a built-in one. */
export const declaredNamespaces: ManifestCheck = (objects, { schemas, environment }) => {
  const declared = new Set(BUILT_IN_NAMESPACES);
  for (const { object } of objects) {
    const name = asString(asObject(object.metadata)?.name);
    if (object.apiVersion === 'v1' && object.kind === 'Namespace' && name !== undefined) declared.add(name);
  }
  return objects.flatMap((target) => {
    const { apiVersion, kind } = target.object;
    const namespace = asString(asObject(target.object.metadata)?.namespace);
    if (
      typeof apiVersion !== 'string' ||
      typeof kind !== 'string' ||
      namespace === undefined ||
      declared.has(namespace)
    )
      return [];
    if (schemas.isNamespaced(apiVersion, kind) !== true) return [];
    return [
      finding(
        target,
        ['metadata', 'namespace'],
        `namespace ${JSON.stringify(namespace)} is not created by environment ${environment} and is not built in`,
      ),
    ];
  });
};
