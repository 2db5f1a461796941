import { keyPathText } from '../config/key-path';
import { FieldPath } from './field-path';
import { Finding, finding, ManifestCheck, ManifestObject, perObject, Problem } from './finding';
import { asObject, JsonObject } from './object-access';
import { podTemplates } from './pod-templates';
import { describeSchemaErrors } from './schema-errors';
import { SchemaSet } from './schema-set';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * Kinds this package writes that are newer than the API floor, with the first Kubernetes minor serving them. They are
 * checked against the versions from that minor on (the cluster's among them), not reported as unserved by older ones.
 */
export const SERVED_FROM: Readonly<Record<string, string>> = {
  // ValidatingAdmissionPolicy went GA in 1.30 (admissionregistration.k8s.io/v1).
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy': '1.30',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding': '1.30',
};

/** True when Kubernetes `version` is older than `minor` (both `major.minor`). */
function olderThan(version: string, minor: string): boolean {
  const [a, b] = version.split('.').map(Number);
  const [c, d] = minor.split('.').map(Number);
  return a < c || (a === c && b < d);
}
const POD_TEMPLATE_SPEC = 'io.k8s.api.core.v1.PodTemplateSpec';

/** A problem found by one Kubernetes version's schema, or by a CRD's (version undefined). */
interface VersionedProblem extends Problem {
  readonly version?: string;
}

/**
 * Every object against the strict schema of each Kubernetes version, or against its CRD. Objects of CRD kinds also
 * have their metadata checked as ObjectMeta and their Spark pod templates as PodTemplateSpec, in each version.
 */
export const schemaCheck: ManifestCheck = perObject((target, { schemas }) => {
  const { apiVersion, kind } = target.object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['apiVersion', 'kind']
      .filter((key) => typeof target.object[key] !== 'string')
      .map((key) => finding(target, [key], 'required field is missing (a string)'));
  }
  const object = withoutNulls(target.object) as JsonObject;
  const problems =
    !schemas.isNative(apiVersion, kind) && schemas.customResources.serves(apiVersion, kind)
      ? customResourceProblems(schemas, apiVersion, kind, object)
      : nativeProblems(schemas, apiVersion, kind, object);
  return merge(target, problems, schemas.kubernetes.length);
});

function nativeProblems(schemas: SchemaSet, apiVersion: string, kind: string, object: JsonObject): VersionedProblem[] {
  const problems: VersionedProblem[] = [];
  const unserved: string[] = [];
  const servedFrom = SERVED_FROM[`${apiVersion} ${kind}`];
  for (const schema of schemas.kubernetes) {
    if (servedFrom && olderThan(schema.version, servedFrom)) continue;
    const definition = schema.definitionOf(apiVersion, kind);
    if (definition === undefined) unserved.push(schema.version);
    else
      problems.push(
        ...describeSchemaErrors(schema.validate(definition, object)).map((p) => ({ ...p, version: schema.version })),
      );
  }
  if (servedFrom && schemas.kubernetes.every((schema) => olderThan(schema.version, servedFrom))) {
    problems.push({
      path: ['apiVersion'],
      message: `${apiVersion} ${kind} is served from Kubernetes ${servedFrom}, newer than every version checked (${schemas.kubernetes.map((s) => s.version).join(', ')})`,
    });
  }
  if (unserved.length > 0) {
    const nowhere = unserved.length === schemas.kubernetes.length ? ', nor by a known CRD' : '';
    problems.push({
      path: ['apiVersion'],
      message: `${apiVersion} ${kind} is not served by Kubernetes ${unserved.join(' or ')}${nowhere}`,
    });
  }
  return problems;
}

function customResourceProblems(
  schemas: SchemaSet,
  apiVersion: string,
  kind: string,
  object: JsonObject,
): VersionedProblem[] {
  const problems: VersionedProblem[] = describeSchemaErrors(schemas.customResources.validate(apiVersion, kind, object));
  for (const schema of schemas.kubernetes) {
    const within = (path: FieldPath, definition: string, value: unknown) =>
      describeSchemaErrors(schema.validate(definition, value)).map((p) => ({
        path: [...path, ...p.path],
        message: p.message,
        version: schema.version,
      }));
    problems.push(...within(['metadata'], OBJECT_META, object.metadata ?? {}));
    for (const { path, template } of podTemplates(object))
      problems.push(...within(path, POD_TEMPLATE_SPEC, withDefaultContainers(template)));
  }
  return problems;
}

/** Spark adds its own container to a template that has none, so an empty list stands in for the required field. */
function withDefaultContainers(template: JsonObject): JsonObject {
  const spec = asObject(template.spec);
  return spec && spec.containers === undefined ? { ...template, spec: { ...spec, containers: [] } } : template;
}

/** One finding per distinct problem; a problem that only some Kubernetes versions report names those versions. */
function merge(target: ManifestObject, problems: readonly VersionedProblem[], versionCount: number): Finding[] {
  const groups = new Map<string, { path: FieldPath; message: string; versions: Set<string | undefined> }>();
  for (const { path, message, version } of problems) {
    const key = `${keyPathText(path)}\n${message}`;
    const group = groups.get(key) ?? { path, message, versions: new Set() };
    group.versions.add(version);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ path, message, versions }) => {
    const partial = !versions.has(undefined) && versions.size < versionCount;
    return finding(target, path, partial ? `${message} (Kubernetes ${[...versions].join(', ')})` : message);
  });
}

/** A copy without null-valued fields: the API server decodes null as unset (and prunes it from custom resources). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}
