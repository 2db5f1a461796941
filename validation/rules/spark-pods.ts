/**
 * The Spark driver and executor fields, validated as the pod the operator creates from them (validation/spark-pods.ts
 * says where each field lands): what the API server, Spark's own parsers or the operator would reject at run time,
 * long after the SparkApplication itself was accepted.
 */
import { isQuantity, parseQuantity, show } from '../../config';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { annotationProblems, labelMapProblems } from '../labels';
import { dns1123Label, dns1123Subdomain, envVarName } from '../names';
import { asArray, asObject, asString } from '../object-access';
import { SparkPod, sparkPods } from '../spark-pods';
import {
  envProblems,
  nodeSelector,
  privilegeEscalation,
  seccompProfile,
  securityContextIds,
  toleration,
} from './pod-spec-fields';

/** Spark's byte-string suffixes (`JavaUtils.byteStringAs`); no suffix means MiB for the memory settings. */
const JVM_MEMORY_SUFFIXES: Readonly<Record<string, number>> = {
  '': 2 ** 20,
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  t: 2 ** 40,
  tb: 2 ** 40,
  p: 2 ** 50,
  pb: 2 ** 50,
};

/** Bytes of a JVM memory string, or the reason Spark refuses it (`JavaUtils.byteStringAs`: whole numbers only). */
export function jvmMemoryBytes(value: string): number | string {
  const lower = value.trim().toLowerCase();
  const match = /^([0-9]+)([a-z]+)?$/.exec(lower);
  if (match === null)
    return /^[0-9]+\.[0-9]+([a-z]+)?$/.test(lower)
      ? 'Fractional values are not supported'
      : 'Failed to parse byte string (expected a whole number and an optional unit: 512m, 2g)';
  const suffix = match[2] ?? '';
  if (!Object.hasOwn(JVM_MEMORY_SUFFIXES, suffix)) return `Invalid suffix: ${show(suffix)}`;
  return Number(match[1]) * JVM_MEMORY_SUFFIXES[suffix];
}

/** Java units the operator rewrites to Kubernetes ones before parsing a memoryLimit. */
const OPERATOR_UNITS: Readonly<Record<string, string>> = {
  k: 'Ki',
  kb: 'Ki',
  m: 'Mi',
  mb: 'Mi',
  g: 'Gi',
  gb: 'Gi',
  t: 'Ti',
  tb: 'Ti',
  p: 'Pi',
  pb: 'Pi',
};

/**
 * `ConvertJavaMemoryStringToK8sMemoryString` (pkg/util): the suffix is matched case-insensitively but trimmed
 * case-sensitively, so `2G` becomes the invalid `2GGi`.
 */
export function operatorMemoryQuantity(value: string): string {
  const unit = Object.keys(OPERATOR_UNITS).find((u) => value.toLowerCase().endsWith(u));
  if (unit === undefined) return value;
  return (value.endsWith(unit) ? value.slice(0, -unit.length) : value) + OPERATOR_UNITS[unit];
}

/** memory and memoryOverhead are JVM memory strings; a memoryLimit (a quantity) is at least memory + overhead. */
export function sparkMemory({ fields, path }: SparkPod): Problem[] {
  const problems: Problem[] = [];
  const bytes: Record<string, number> = {};
  for (const field of ['memory', 'memoryOverhead']) {
    const value = asString(fields[field]);
    if (value === undefined) continue;
    const parsed = jvmMemoryBytes(value);
    if (typeof parsed === 'string') problems.push(...invalid([...path, field], value, [parsed]));
    else bytes[field] = parsed;
  }
  const limit = asString(fields.memoryLimit);
  if (limit !== undefined) {
    const quantity = operatorMemoryQuantity(limit);
    if (!isQuantity(quantity))
      problems.push(...invalid([...path, 'memoryLimit'], limit, ['must be a memory quantity']));
    else if (
      bytes.memory !== undefined &&
      bytes.memoryOverhead !== undefined &&
      parseQuantity(quantity) < bytes.memory + bytes.memoryOverhead
    )
      problems.push(
        ...invalid([...path, 'memoryLimit'], limit, [
          'must be at least memory + memoryOverhead: the pod requests that much',
        ]),
      );
  }
  return problems;
}

/** coreLimit becomes the container's CPU limit: a quantity no lower than the request (coreRequest, else cores). */
export function sparkCores({ fields, path }: SparkPod): Problem[] {
  const limit = fields.coreLimit;
  if (typeof limit !== 'string') return [];
  if (!isQuantity(limit) || parseQuantity(limit) < 0)
    return invalid([...path, 'coreLimit'], limit, ['must be a non-negative CPU quantity (e.g. "1", "1500m")']);
  const request = fields.coreRequest ?? fields.cores;
  if (
    (typeof request === 'number' || typeof request === 'string') &&
    isQuantity(request) &&
    parseQuantity(request) > parseQuantity(limit)
  )
    return invalid([...path, 'coreLimit'], limit, [
      `must be greater than or equal to the CPU request of ${show(request)}`,
    ]);
  return [];
}

/** Labels and annotations land on the pod (and serviceLabels/serviceAnnotations on the driver's Service). */
export function sparkMetadata({ fields, path }: SparkPod): Problem[] {
  return [
    ...labelMapProblems(fields.labels, [...path, 'labels']),
    ...annotationProblems(fields.annotations, [...path, 'annotations']),
    ...labelMapProblems(fields.serviceLabels, [...path, 'serviceLabels']),
    ...annotationProblems(fields.serviceAnnotations, [...path, 'serviceAnnotations']),
  ];
}

/** env (and the deprecated envVars map) become container environment variables. */
export function sparkEnv({ fields, path }: SparkPod): Problem[] {
  const problems = envProblems(fields.env, [...path, 'env']);
  asArray(fields.env).forEach((item, i) => {
    const name = asString(asObject(item)?.name);
    if (name !== undefined) problems.push(...invalid([...path, 'env', i, 'name'], name, envVarName(name)));
  });
  for (const name of Object.keys(asObject(fields.envVars) ?? {}))
    problems.push(...invalid([...path, 'envVars'], name, envVarName(name)));
  return problems;
}

/** nodeSelector and tolerations are copied onto the pod spec as they are. */
export function sparkScheduling({ fields, path, app, appPath }: SparkPod): Problem[] {
  const problems = [...nodeSelector(fields.nodeSelector, [...path, 'nodeSelector'])];
  asArray(fields.tolerations).forEach((item, i) => {
    const value = asObject(item);
    if (value) problems.push(...toleration(value, [...path, 'tolerations', i]));
  });
  // The application-level nodeSelector goes to both pods; report it once, on the driver.
  if (path[path.length - 1] === 'driver')
    problems.push(...nodeSelector(app.nodeSelector, [...appPath, 'nodeSelector']));
  return problems;
}

/** serviceAccount and priorityClassName become the pod's; configMaps become volumes named `<name>-vol`. */
export function sparkReferences({ fields, path }: SparkPod): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['serviceAccount', 'priorityClassName', 'schedulerName']) {
    const value = asString(fields[field]);
    if (value) problems.push(...invalid([...path, field], value, dns1123Subdomain(value)));
  }
  asArray(fields.configMaps).forEach((item, i) => {
    const name = asString(asObject(item)?.name);
    if (name)
      problems.push(...invalid([...path, 'configMaps', i, 'name'], name, dns1123Label(`${name}-vol`.slice(0, 63))));
  });
  return problems;
}

/** podSecurityContext replaces the pod's security context, securityContext the Spark container's. */
export function sparkSecurityContexts({ fields, path }: SparkPod): Problem[] {
  const pod = asObject(fields.podSecurityContext);
  const container = asObject(fields.securityContext);
  return [
    ...securityContextIds(pod, [...path, 'podSecurityContext']),
    ...seccompProfile(pod, [...path, 'podSecurityContext']),
    ...securityContextIds(container, [...path, 'securityContext']),
    ...seccompProfile(container, [...path, 'securityContext']),
    ...privilegeEscalation(container, [...path, 'securityContext']),
  ];
}

const RULES: readonly ((pod: SparkPod) => Problem[])[] = [
  sparkMemory,
  sparkCores,
  sparkMetadata,
  sparkEnv,
  sparkScheduling,
  sparkReferences,
  sparkSecurityContexts,
];

export const sparkPodFields = perObject((target) =>
  toFindings(
    target,
    sparkPods(target.object).flatMap((pod) => RULES.flatMap((rule) => rule(pod))),
  ),
);
