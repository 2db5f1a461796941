/**
 * Reference integrity: every object a synthesized object names (service account, ConfigMap, Secret, claim, priority
 * class, role, YuniKorn queue) is synthesized in the same environment, listed in DEPLOY_TIME_OBJECTS, or built in.
 * The API server accepts a dangling reference; the pod then never starts (or the binding grants nothing).
 */
import { parse } from 'yaml';
import { TENANT_LABEL, YUNIKORN_CONFIG_MAP } from '../../constructs/conventions';
import { FieldPath } from '../field-path';
import { finding, Finding, ManifestCheck, ManifestObject } from '../finding';
import { asArray, asObject, asString, JsonObject, valueAt } from '../object-access';
import { podTemplates } from '../pod-templates';
import { sparkPods } from '../spark-pods';
import { BUILT_IN_OBJECTS, DEPLOY_TIME_OBJECTS } from '../deploy-time-objects';

/** A name one object refers to. `namespace` undefined: a cluster-scoped object. */
export interface Reference {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly path: FieldPath;
}

type Refer = (kind: string, name: unknown, path: FieldPath, optional?: unknown) => void;

/** The objects a pod spec refers to (in its namespace, apart from the priority class). */
export function podSpecReferences(spec: JsonObject, path: FieldPath, refer: Refer): void {
  const account = spec.serviceAccountName ?? spec.serviceAccount;
  refer('ServiceAccount', account, [...path, spec.serviceAccountName ? 'serviceAccountName' : 'serviceAccount']);
  refer('PriorityClass', spec.priorityClassName, [...path, 'priorityClassName']);
  asArray(spec.imagePullSecrets).forEach((s, i) =>
    refer('Secret', asObject(s)?.name, [...path, 'imagePullSecrets', i, 'name']),
  );
  asArray(spec.volumes).forEach((item, i) => {
    const volume = asObject(item) ?? {};
    const at = [...path, 'volumes', i];
    const configMap = asObject(volume.configMap);
    refer('ConfigMap', configMap?.name, [...at, 'configMap', 'name'], configMap?.optional);
    const secret = asObject(volume.secret);
    refer('Secret', secret?.secretName, [...at, 'secret', 'secretName'], secret?.optional);
    refer('PersistentVolumeClaim', asObject(volume.persistentVolumeClaim)?.claimName, [
      ...at,
      'persistentVolumeClaim',
      'claimName',
    ]);
    asArray(asObject(volume.projected)?.sources).forEach((source, j) => {
      for (const [field, kind] of [
        ['configMap', 'ConfigMap'],
        ['secret', 'Secret'],
      ] as const) {
        const ref = asObject(asObject(source)?.[field]);
        refer(kind, ref?.name, [...at, 'projected', 'sources', j, field, 'name'], ref?.optional);
      }
    });
  });
  for (const list of ['initContainers', 'containers'])
    asArray(spec[list]).forEach((c, i) => containerReferences(asObject(c) ?? {}, [...path, list, i], refer));
}

/** env and envFrom references of a container (or of a Spark driver/executor, which has the same fields). */
export function containerReferences(container: JsonObject, path: FieldPath, refer: Refer): void {
  asArray(container.env).forEach((item, i) => {
    for (const [field, kind] of [
      ['configMapKeyRef', 'ConfigMap'],
      ['secretKeyRef', 'Secret'],
    ] as const) {
      const ref = asObject(valueAt(item, ['valueFrom', field]));
      refer(kind, ref?.name, [...path, 'env', i, 'valueFrom', field, 'name'], ref?.optional);
    }
  });
  asArray(container.envFrom).forEach((item, i) => {
    for (const [field, kind] of [
      ['configMapRef', 'ConfigMap'],
      ['secretRef', 'Secret'],
    ] as const) {
      const ref = asObject(asObject(item)?.[field]);
      refer(kind, ref?.name, [...path, 'envFrom', i, field, 'name'], ref?.optional);
    }
  });
}

/** What a Spark application refers to through the operator: service accounts, ConfigMaps, Secrets, priority classes. */
function sparkReferences(object: JsonObject, refer: Refer): void {
  for (const pod of sparkPods(object)) {
    const { fields, path } = pod;
    refer('ServiceAccount', fields.serviceAccount ?? 'default', [...path, 'serviceAccount']);
    refer('PriorityClass', fields.priorityClassName, [...path, 'priorityClassName']);
    asArray(fields.configMaps).forEach((c, i) =>
      refer('ConfigMap', asObject(c)?.name, [...path, 'configMaps', i, 'name']),
    );
    asArray(fields.secrets).forEach((s, i) => refer('Secret', asObject(s)?.name, [...path, 'secrets', i, 'name']));
    containerReferences(fields, path, refer);
    for (const [name, ref] of Object.entries(asObject(fields.envSecretKeyRefs) ?? {}))
      refer('Secret', asObject(ref)?.name, [...path, 'envSecretKeyRefs', name, 'name']);
  }
  const [first] = sparkPods(object);
  if (first === undefined) return;
  const { app, appPath } = first;
  refer('ConfigMap', app.sparkConfigMap, [...appPath, 'sparkConfigMap']);
  refer('ConfigMap', app.hadoopConfigMap, [...appPath, 'hadoopConfigMap']);
  asArray(app.imagePullSecrets).forEach((s, i) => refer('Secret', s, [...appPath, 'imagePullSecrets', i]));
  refer('Queue', asObject(app.batchSchedulerOptions)?.queue, [...appPath, 'batchSchedulerOptions', 'queue']);
}

/** RoleBindings' roles and service-account subjects. */
function bindingReferences(object: JsonObject, namespace: string | undefined, refer: Refer): void {
  const ref = asObject(object.roleRef);
  if (ref?.kind === 'Role' || ref?.kind === 'ClusterRole') refer(ref.kind, ref.name, ['roleRef', 'name']);
  asArray(object.subjects).forEach((item, i) => {
    const subject = asObject(item);
    if (subject?.kind !== 'ServiceAccount') return;
    const subjectNamespace = asString(subject.namespace) ?? namespace;
    refer(`ServiceAccount@${subjectNamespace ?? ''}`, subject.name, ['subjects', i, 'name']);
  });
}

const parsedQueues = new Map<string, readonly string[]>();

/** Every full queue name (`root.tenants.trading`), lower-cased, of the YuniKorn configuration in the output. */
function queueNames(objects: readonly ManifestObject[]): string[] {
  return objects.flatMap(({ object }) => {
    if (object.kind !== 'ConfigMap' || asString(valueAt(object, ['metadata', 'name'])) !== YUNIKORN_CONFIG_MAP.name)
      return [];
    const text = asString(valueAt(object, ['data', YUNIKORN_CONFIG_MAP.queuesKey]));
    if (text === undefined) return [];
    let names = parsedQueues.get(text);
    if (names === undefined) {
      names = queuesOf(text);
      parsedQueues.set(text, names);
    }
    return names;
  });
}

function queuesOf(text: string): string[] {
  const queues: string[] = [];
  const walk = (node: unknown, parent: string) =>
    asArray(asObject(node)?.queues).forEach((queue) => {
      const name = asString(asObject(queue)?.name);
      if (name === undefined) return;
      const full = parent ? `${parent}.${name}` : name;
      queues.push(full.toLowerCase());
      walk(queue, full);
    });
  try {
    for (const partition of asArray(asObject(parse(text))?.partitions)) walk(partition, '');
  } catch {
    // A queues.yaml that does not parse is the yunikornQueues rule's finding.
  }
  return queues;
}

const CLUSTER_SCOPED = new Set(['PriorityClass', 'ClusterRole', 'Queue']);

export const references: ManifestCheck = (objects) => {
  const present = new Set<string>();
  const tenants = new Set<string>();
  const key = (kind: string, namespace: string | undefined, name: string) =>
    JSON.stringify([kind, namespace ?? '', name]);
  for (const { object } of objects) {
    const metadata = asObject(object.metadata);
    const name = asString(metadata?.name);
    if (typeof object.kind !== 'string' || name === undefined) continue;
    const cluster = object.kind === 'PriorityClass' || object.kind === 'ClusterRole' || object.kind === 'Namespace';
    present.add(key(object.kind, cluster ? undefined : asString(metadata?.namespace), name));
    if (object.kind === 'Namespace' && asObject(metadata?.labels)?.[TENANT_LABEL] !== undefined) tenants.add(name);
  }
  const queues = queueNames(objects);
  for (const queue of queues) present.add(key('Queue', undefined, queue));
  const exists = (kind: string, namespace: string | undefined, name: string): boolean =>
    present.has(key(kind, namespace, kind === 'Queue' ? name.toLowerCase() : name)) ||
    (kind === 'ServiceAccount' && (BUILT_IN_OBJECTS.serviceAccounts as readonly string[]).includes(name)) ||
    (kind === 'PriorityClass' && (BUILT_IN_OBJECTS.priorityClasses as readonly string[]).includes(name)) ||
    (kind === 'ClusterRole' &&
      ((BUILT_IN_OBJECTS.clusterRoles as readonly string[]).includes(name) || name.startsWith('system:'))) ||
    DEPLOY_TIME_OBJECTS.some(
      (o) =>
        o.kind === kind &&
        o.name === name &&
        (o.namespace === namespace || (o.namespace === 'tenant' && tenants.has(namespace ?? ''))),
    );
  const findings: Finding[] = [];
  for (const target of objects) {
    const { object } = target;
    const namespace = asString(valueAt(object, ['metadata', 'namespace']));
    const refer: Refer = (rawKind, name, path, optional) => {
      if (typeof name !== 'string' || name === '' || optional === true) return;
      const [kind, explicitNamespace] = rawKind.split('@');
      // Queues are judged only against a queue configuration of this output.
      if (kind === 'Queue' && queues.length === 0) return;
      const inNamespace = CLUSTER_SCOPED.has(kind) ? undefined : (explicitNamespace ?? namespace);
      if (exists(kind, inNamespace, name)) return;
      const where = inNamespace === undefined ? '' : ` in namespace ${JSON.stringify(inNamespace)}`;
      const what = kind === 'Queue' ? 'YuniKorn queue' : kind;
      findings.push(
        finding(
          target,
          path,
          `${what} ${JSON.stringify(name)}${where} is neither in this environment's output nor created at deploy time (DEPLOY_TIME_OBJECTS)`,
        ),
      );
    };
    for (const { path, template } of podTemplates(object)) {
      const spec = asObject(template.spec);
      if (spec) podSpecReferences(spec, [...path, 'spec'], refer);
    }
    sparkReferences(object, refer);
    if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding')
      bindingReferences(object, namespace, refer);
  }
  return findings;
};
