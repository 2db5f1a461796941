import { FieldPath } from './field-path';
import { asArray, asObject, asString, JsonObject, valueAt } from './object-access';
import { PodView } from './pod-security-standards';

/**
 * A driver or executor of a SparkApplication (or of a ScheduledSparkApplication's template): the fields the Spark
 * Operator 2.5.2 turns into that pod. spark-submit receives labels, annotations, env vars, cores, coreLimit, memory and
 * the service account as `spark.kubernetes.*` settings (`internal/controller/sparkapplication/submission.go`); the
 * operator's pod webhook then sets env, tolerations, nodeSelector, priorityClassName, podSecurityContext,
 * securityContext, sidecars and volumes on the pod Spark created (`internal/webhook/sparkpod_defaulter.go`).
 */
export interface SparkPod {
  /** `server` is a SparkConnect's driver. */
  readonly role: 'driver' | 'executor' | 'server';
  /** Where the driver/executor spec sits (`spec.driver`, `spec.template.executor`). */
  readonly path: FieldPath;
  readonly fields: JsonObject;
  /** The application spec holding it (`spec`, or `spec.template` of a ScheduledSparkApplication). */
  readonly app: JsonObject;
  readonly appPath: FieldPath;
}

const APPLICATION_SPECS: Readonly<Record<string, { path: FieldPath; roles: readonly SparkPod['role'][] }>> = {
  SparkApplication: { path: ['spec'], roles: ['driver', 'executor'] },
  ScheduledSparkApplication: { path: ['spec', 'template'], roles: ['driver', 'executor'] },
  SparkConnect: { path: ['spec'], roles: ['server', 'executor'] },
};

/** The driver (or SparkConnect server) and executor of a Spark object; none for other kinds. */
export function sparkPods(object: JsonObject): SparkPod[] {
  const kind = asString(object.kind) ?? '';
  if (!Object.hasOwn(APPLICATION_SPECS, kind)) return [];
  const { path: appPath, roles } = APPLICATION_SPECS[kind];
  const app = asObject(valueAt(object, appPath));
  if (app === undefined) return [];
  return roles.flatMap((role) => {
    const fields = asObject(app[role]);
    return fields ? [{ role, path: [...appPath, role], fields, app, appPath }] : [];
  });
}

/**
 * The pod the operator's webhook leaves, as the Pod Security checks see it: the template, then the driver/executor
 * fields over it (podSecurityContext replaces the pod's, securityContext the Spark container's), the sidecars and
 * init containers, and the application's volumes.
 */
export function sparkPodView({ role, fields, path, app, appPath }: SparkPod): PodView {
  const template = asObject(fields.template);
  const templateSpec = asObject(template?.spec) ?? {};
  const templatePath = [...path, 'template', 'spec'];
  const spec: JsonObject = { ...templateSpec };
  const where: Record<string, FieldPath> = {};
  if (fields.podSecurityContext !== undefined) {
    spec.securityContext = fields.podSecurityContext;
    where.securityContext = [...path, 'podSecurityContext'];
  }
  if (fields.hostNetwork !== undefined) {
    spec.hostNetwork = fields.hostNetwork;
    where.hostNetwork = [...path, 'hostNetwork'];
  }
  if (app.volumes !== undefined) {
    spec.volumes = app.volumes;
    where.volumes = [...appPath, 'volumes'];
  }
  // The webhook finds Spark's container by name and replaces its security context when the field is set.
  const sparkName = `spark-kubernetes-${role === 'executor' ? 'executor' : 'driver'}`;
  const templateContainers = asArray(templateSpec.containers);
  const own = templateContainers.findIndex((c) => asObject(c)?.name === sparkName);
  const sparkContainer =
    fields.securityContext === undefined && own >= 0
      ? { container: asObject(templateContainers[own])!, path: [...templatePath, 'containers', own] }
      : { container: { name: sparkName, securityContext: fields.securityContext }, path };
  const containers = [
    sparkContainer,
    ...['sidecars', 'initContainers'].flatMap((list) =>
      asArray(fields[list]).flatMap((item, i) => {
        const container = asObject(item);
        return container ? [{ container, path: [...path, list, i] }] : [];
      }),
    ),
    ...['initContainers', 'containers'].flatMap((list) =>
      asArray(templateSpec[list]).flatMap((item, i) => {
        const container = asObject(item);
        return container && !(list === 'containers' && i === own)
          ? [{ container, path: [...templatePath, list, i] }]
          : [];
      }),
    ),
  ];
  const annotations = { ...asObject(asObject(template?.metadata)?.annotations), ...asObject(fields.annotations) };
  return { spec, annotations, at: (field) => where[field] ?? [...templatePath, field], containers };
}
