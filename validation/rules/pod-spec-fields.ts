/**
 * The API server's rules for pod spec fields the schema cannot express, ported one function per rule from
 * kubernetes/kubernetes `pkg/apis/core/validation/validation.go` (ValidatePodSpec and what it calls), with the same
 * messages where practical. Each rule takes the value and its path and returns every problem.
 */
import { isIP } from 'net';
import { parseQuantity, isQuantity, show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, Problem } from '../finding';
import { labelMapProblems } from '../labels';
import { configMapKey, dns1123Subdomain, labelValue, qualifiedName } from '../names';
import { asArray, asObject, asString, JsonObject } from '../object-access';

/** Volume sources a volume must have exactly one of (core/v1 VolumeSource). */
export const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const ENV_VALUE_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'];
const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const SECCOMP_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost'];

const required = (path: FieldPath): Problem => ({ path, message: 'Required value' });
const nonNegative = (value: unknown, path: FieldPath): Problem[] =>
  typeof value === 'number' && value < 0 ? invalid(path, value, ['must be greater than or equal to 0']) : [];

/** `validateLocalDescendingPath`: a relative path that never climbs out with `..`. */
export function localDescendingPath(value: unknown, path: FieldPath): Problem[] {
  if (typeof value !== 'string') return [];
  const problems: Problem[] = [];
  if (value.startsWith('/')) problems.push(...invalid(path, value, ['must be a relative path']));
  if (value.split('/').includes('..')) problems.push(...invalid(path, value, ["must not contain '..'"]));
  return problems;
}

/** `validateVolumeSource`: exactly one source per volume. */
export function volumeSourceCount(volume: JsonObject, path: FieldPath): Problem[] {
  const sources = VOLUME_SOURCES.filter((source) => volume[source] !== undefined);
  if (sources.length === 0) return [{ path, message: 'must specify a volume type' }];
  return sources
    .slice(1)
    .map((source) => ({ path: [...path, source], message: 'may not specify more than 1 volume type' }));
}

/** emptyDir `sizeLimit` must not be negative. */
export function emptyDirSizeLimit(volume: JsonObject, path: FieldPath): Problem[] {
  const limit = asObject(volume.emptyDir)?.sizeLimit;
  return isQuantity(limit) && parseQuantity(limit) < 0
    ? [{ path: [...path, 'emptyDir', 'sizeLimit'], message: 'SizeLimit field must be a valid resource quantity' }]
    : [];
}

/** `defaultMode` and item `mode`s of configMap, secret, projected and downwardAPI volumes: 0 to 0777. */
export function volumeFileModes(volume: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const check = (mode: unknown, at: FieldPath) => {
    if (typeof mode === 'number' && (mode < 0 || mode > 0o777 || !Number.isInteger(mode)))
      problems.push(...invalid(at, mode, ['must be a number between 0 and 0777 (octal), both inclusive']));
  };
  for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
    const value = asObject(volume[source]);
    if (value === undefined) continue;
    check(value.defaultMode, [...path, source, 'defaultMode']);
    asArray(value.items).forEach((item, i) => check(asObject(item)?.mode, [...path, source, 'items', i, 'mode']));
  }
  return problems;
}

/** configMap and secret volume items: a valid key and a local descending path. */
export function volumeItems(volume: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  for (const source of ['configMap', 'secret']) {
    asArray(asObject(volume[source])?.items).forEach((item, i) => {
      const at = [...path, source, 'items', i];
      const { key, path: itemPath } = asObject(item) ?? {};
      if (typeof key === 'string') problems.push(...invalid([...at, 'key'], key, configMapKey(key)));
      if (itemPath === '') problems.push(required([...at, 'path']));
      problems.push(...localDescendingPath(itemPath, [...at, 'path']));
    });
  }
  return problems;
}

/** The object a volume source refers to must be named. */
export function volumeSourceNames(volume: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const secret = asObject(volume.secret);
  if (secret && !secret.secretName) problems.push(required([...path, 'secret', 'secretName']));
  const configMap = asObject(volume.configMap);
  if (configMap && !configMap.name) problems.push(required([...path, 'configMap', 'name']));
  const claim = asObject(volume.persistentVolumeClaim);
  if (claim && !claim.claimName) problems.push(required([...path, 'persistentVolumeClaim', 'claimName']));
  return problems;
}

/** `ValidateVolumeMounts`: each mount names a volume of the pod, at a unique path, with a local subPath. */
export function volumeMounts(container: JsonObject, path: FieldPath, volumes: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const paths = new Set<string>();
  asArray(container.volumeMounts).forEach((item, i) => {
    const mount = asObject(item);
    if (mount === undefined) return;
    const at = [...path, 'volumeMounts', i];
    const name = asString(mount.name);
    if (name !== undefined && !volumes.has(name))
      problems.push({ path: [...at, 'name'], message: `Not found: ${show(name)}` });
    const mountPath = asString(mount.mountPath);
    if (mountPath === '') problems.push(required([...at, 'mountPath']));
    else if (mountPath !== undefined) {
      if (paths.has(mountPath)) problems.push({ path: [...at, 'mountPath'], message: 'must be unique' });
      paths.add(mountPath);
    }
    if (mount.subPath !== undefined && mount.subPathExpr !== undefined)
      problems.push(
        ...invalid([...at, 'subPathExpr'], mount.subPathExpr, ['subPathExpr and subPath are mutually exclusive']),
      );
    problems.push(...localDescendingPath(mount.subPath, [...at, 'subPath']));
    problems.push(...localDescendingPath(mount.subPathExpr, [...at, 'subPathExpr']));
  });
  return problems;
}

/** `validateEnvVarValueFrom`: `value` xor `valueFrom`, and exactly one source in `valueFrom`. */
export function envVarSource(variable: JsonObject, path: FieldPath): Problem[] {
  const from = asObject(variable.valueFrom);
  if (from === undefined) return [];
  const problems: Problem[] = [];
  if (typeof variable.value === 'string' && variable.value !== '')
    problems.push({ path: [...path, 'valueFrom'], message: 'may not be specified when `value` is not empty' });
  const sources = ENV_VALUE_SOURCES.filter((source) => from[source] !== undefined);
  if (sources.length === 0)
    problems.push({
      path: [...path, 'valueFrom'],
      message: 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    });
  else if (sources.length > 1)
    problems.push({ path: [...path, 'valueFrom'], message: 'may not have more than one field specified at a time' });
  return problems;
}

/** configMapKeyRef and secretKeyRef name an object and a valid key. */
export function envVarKeyRefs(variable: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  for (const source of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = asObject(asObject(variable.valueFrom)?.[source]);
    if (ref === undefined) continue;
    const at = [...path, 'valueFrom', source];
    if (!ref.name) problems.push(required([...at, 'name']));
    if (typeof ref.key === 'string') problems.push(...invalid([...at, 'key'], ref.key, configMapKey(ref.key)));
  }
  return problems;
}

/** `validateEnvFrom`: exactly one of configMapRef and secretRef, and a valid prefix. */
export function envFromSources(container: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  asArray(container.envFrom).forEach((item, i) => {
    const source = asObject(item) ?? {};
    const at = [...path, 'envFrom', i];
    const count = ['configMapRef', 'secretRef'].filter((key) => source[key] !== undefined).length;
    if (count === 0) problems.push({ path: at, message: 'must specify one of: `configMapRef` or `secretRef`' });
    if (count > 1) problems.push({ path: at, message: 'may not have more than one field specified at a time' });
  });
  return problems;
}

/** `ValidateTolerations`: key, operator, value and effect agree. */
export function toleration(value: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const key = asString(value.key) ?? '';
  const operator = asString(value.operator) ?? 'Equal';
  if (key !== '') problems.push(...invalid([...path, 'key'], key, qualifiedName(key)));
  if (key === '' && operator !== 'Exists')
    problems.push(
      ...invalid([...path, 'operator'], operator, [
        'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      ]),
    );
  if (value.tolerationSeconds !== undefined && value.effect !== 'NoExecute')
    problems.push(
      ...invalid([...path, 'effect'], value.effect ?? '', [
        "effect must be 'NoExecute' when `tolerationSeconds` is set",
      ]),
    );
  if (operator === 'Equal' && typeof value.value === 'string')
    problems.push(...invalid([...path, 'value'], value.value, labelValue(value.value)));
  else if (operator === 'Exists' && typeof value.value === 'string' && value.value !== '')
    problems.push(...invalid([...path, 'operator'], value.value, ["value must be empty when `operator` is 'Exists'"]));
  else if (operator !== 'Equal' && operator !== 'Exists')
    problems.push({
      path: [...path, 'operator'],
      message: `unsupported value ${show(operator)}; supported values: "Equal", "Exists"`,
    });
  if (typeof value.effect === 'string' && value.effect !== '' && !TOLERATION_EFFECTS.includes(value.effect))
    problems.push({
      path: [...path, 'effect'],
      message: `unsupported value ${show(value.effect)}; supported values: ${TOLERATION_EFFECTS.map((e) => show(e)).join(', ')}`,
    });
  return problems;
}

/** `validateProbe`/`validateHandler`: exactly one handler, non-negative numbers, and successThreshold 1 where required. */
export function probe(value: JsonObject, path: FieldPath, kind: 'liveness' | 'readiness' | 'startup'): Problem[] {
  const problems: Problem[] = [];
  const handlers = PROBE_HANDLERS.filter((handler) => value[handler] !== undefined);
  if (handlers.length === 0) problems.push({ path, message: 'must specify a handler type' });
  for (const extra of handlers.slice(1))
    problems.push({ path: [...path, extra], message: 'may not specify more than 1 handler type' });
  for (const field of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ])
    problems.push(...nonNegative(value[field], [...path, field]));
  if (kind !== 'readiness' && typeof value.successThreshold === 'number' && value.successThreshold !== 1)
    problems.push(...invalid([...path, 'successThreshold'], value.successThreshold, ['must be 1']));
  if (kind === 'readiness' && value.terminationGracePeriodSeconds !== undefined)
    problems.push({ path: [...path, 'terminationGracePeriodSeconds'], message: 'must not be set for readinessProbes' });
  if (typeof value.terminationGracePeriodSeconds === 'number' && value.terminationGracePeriodSeconds <= 0)
    problems.push(
      ...invalid([...path, 'terminationGracePeriodSeconds'], value.terminationGracePeriodSeconds, [
        'must be greater than 0',
      ]),
    );
  return problems;
}

/** `validateSeccompProfileField`: a localhost profile exactly when the type is Localhost. */
export function seccompProfile(context: JsonObject | undefined, path: FieldPath): Problem[] {
  const profile = asObject(context?.seccompProfile);
  if (profile === undefined) return [];
  const at = [...path, 'seccompProfile'];
  const type = profile.type;
  if (typeof type === 'string' && !SECCOMP_TYPES.includes(type))
    return [
      {
        path: [...at, 'type'],
        message: `unsupported value ${show(type)}; supported values: ${SECCOMP_TYPES.map((t) => show(t)).join(', ')}`,
      },
    ];
  if (type === 'Localhost' && !profile.localhostProfile)
    return [{ path: [...at, 'localhostProfile'], message: 'must be set when seccomp type is Localhost' }];
  if (type !== 'Localhost' && profile.localhostProfile !== undefined)
    return [
      ...invalid([...at, 'localhostProfile'], profile.localhostProfile, [
        'can only be set when seccomp type is Localhost',
      ]),
    ];
  return [];
}

/** User and group IDs are non-negative (`ValidateNonnegativeField`). */
export function securityContextIds(context: JsonObject | undefined, path: FieldPath): Problem[] {
  if (context === undefined) return [];
  const problems: Problem[] = [];
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'])
    problems.push(...nonNegative(context[field], [...path, field]));
  asArray(context.supplementalGroups).forEach((group, i) =>
    problems.push(...nonNegative(group, [...path, 'supplementalGroups', i])),
  );
  return problems;
}

/** `ValidateSecurityContext`: privileged containers cannot disallow privilege escalation, nor add CAP_SYS_ADMIN without it. */
export function privilegeEscalation(context: JsonObject | undefined, path: FieldPath): Problem[] {
  if (context?.allowPrivilegeEscalation !== false) return [];
  const problems: Problem[] = [];
  if (context.privileged === true)
    problems.push({
      path,
      message: 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    });
  if (asArray(asObject(context.capabilities)?.add).includes('CAP_SYS_ADMIN'))
    problems.push({
      path,
      message: 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
    });
  return problems;
}

/** `ValidatePodSpec` node selector: label keys and values. */
export function nodeSelector(value: unknown, path: FieldPath): Problem[] {
  return labelMapProblems(value, path);
}

/** Service account and priority class names are DNS subdomains. */
export function referenceNames(spec: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['serviceAccountName', 'serviceAccount', 'priorityClassName', 'schedulerName']) {
    const value = asString(spec[field]);
    if (value !== undefined && value !== '')
      problems.push(...invalid([...path, field], value, dns1123Subdomain(value)));
  }
  return problems;
}

/** Pod-level durations: activeDeadlineSeconds positive, terminationGracePeriodSeconds non-negative. */
export function podDurations(spec: JsonObject, path: FieldPath): Problem[] {
  const problems = nonNegative(spec.terminationGracePeriodSeconds, [...path, 'terminationGracePeriodSeconds']);
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > 2147483647))
    problems.push(
      ...invalid([...path, 'activeDeadlineSeconds'], deadline, ['must be between 1 and 2147483647, inclusive']),
    );
  return problems;
}

/** `validateDNSPolicy`/`validatePodDNSConfig`: `None` needs a dnsConfig with at least one nameserver. */
export function dnsPolicy(spec: JsonObject, path: FieldPath): Problem[] {
  if (spec.dnsPolicy !== 'None') return [];
  return asArray(asObject(spec.dnsConfig)?.nameservers).length === 0
    ? [
        {
          path: [...path, 'dnsConfig', 'nameservers'],
          message: 'must provide at least one DNS nameserver when `dnsPolicy` is None',
        },
      ]
    : [];
}

/** `validateTopologySpreadConstraints`: maxSkew above 0, minDomains only with DoNotSchedule. */
export function topologySpread(spec: JsonObject, path: FieldPath): Problem[] {
  return asArray(spec.topologySpreadConstraints).flatMap((item, i) => {
    const constraint = asObject(item) ?? {};
    const at = [...path, 'topologySpreadConstraints', i];
    const problems: Problem[] = [];
    if (typeof constraint.maxSkew === 'number' && constraint.maxSkew <= 0)
      problems.push(...invalid([...at, 'maxSkew'], constraint.maxSkew, ['must be greater than zero']));
    if (typeof constraint.minDomains === 'number' && constraint.whenUnsatisfiable !== 'DoNotSchedule')
      problems.push(
        ...invalid([...at, 'minDomains'], constraint.minDomains, [
          'can only use minDomains if whenUnsatisfiable=DoNotSchedule',
        ]),
      );
    return problems;
  });
}

/** `validateHostAliases`: valid IP addresses. */
export function hostAliases(spec: JsonObject, path: FieldPath): Problem[] {
  return asArray(spec.hostAliases).flatMap((item, i) => {
    const ip = asObject(item)?.ip;
    return typeof ip === 'string' && isIP(ip) === 0
      ? invalid([...path, 'hostAliases', i, 'ip'], ip, [
          'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        ])
      : [];
  });
}

/** With hostNetwork, a container's hostPort must equal its containerPort. */
export function hostNetworkPorts(spec: JsonObject, path: FieldPath): Problem[] {
  if (spec.hostNetwork !== true) return [];
  const problems: Problem[] = [];
  for (const list of ['initContainers', 'containers'])
    asArray(spec[list]).forEach((c, ci) =>
      asArray(asObject(c)?.ports).forEach((p, pi) => {
        const port = asObject(p) ?? {};
        if (port.hostPort !== undefined && port.hostPort !== port.containerPort)
          problems.push(
            ...invalid([...path, list, ci, 'ports', pi, 'hostPort'], port.hostPort, [
              'must match `containerPort` when `hostNetwork` is true',
            ]),
          );
      }),
    );
  return problems;
}

/** Every problem with the pod-level and per-container fields above. */
export function podSpecFieldProblems(spec: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const volumeNames = new Set<string>();
  asArray(spec.volumes).forEach((item, i) => {
    const volume = asObject(item);
    if (volume === undefined) return;
    const at = [...path, 'volumes', i];
    const name = asString(volume.name);
    if (name !== undefined) volumeNames.add(name);
    for (const rule of [volumeSourceCount, emptyDirSizeLimit, volumeFileModes, volumeItems, volumeSourceNames])
      problems.push(...rule(volume, at));
  });
  const podContext = asObject(spec.securityContext);
  problems.push(
    ...securityContextIds(podContext, [...path, 'securityContext']),
    ...seccompProfile(podContext, [...path, 'securityContext']),
    ...nodeSelector(spec.nodeSelector, [...path, 'nodeSelector']),
    ...referenceNames(spec, path),
    ...podDurations(spec, path),
    ...hostNetworkPorts(spec, path),
    ...dnsPolicy(spec, path),
    ...topologySpread(spec, path),
    ...hostAliases(spec, path),
  );
  asArray(spec.tolerations).forEach((item, i) => {
    const value = asObject(item);
    if (value) problems.push(...toleration(value, [...path, 'tolerations', i]));
  });
  for (const list of ['initContainers', 'containers']) {
    asArray(spec[list]).forEach((item, i) => {
      const container = asObject(item);
      if (container) problems.push(...containerFieldProblems(container, [...path, list, i], volumeNames));
    });
  }
  return problems;
}

/** A container's mounts, environment, probes and security context. */
export function containerFieldProblems(
  container: JsonObject,
  path: FieldPath,
  volumes: ReadonlySet<string>,
): Problem[] {
  const problems = [...volumeMounts(container, path, volumes), ...envFromSources(container, path)];
  problems.push(...envProblems(container.env, [...path, 'env']));
  for (const [field, kind] of [
    ['livenessProbe', 'liveness'],
    ['readinessProbe', 'readiness'],
    ['startupProbe', 'startup'],
  ] as const) {
    const value = asObject(container[field]);
    if (value) problems.push(...probe(value, [...path, field], kind));
  }
  const context = asObject(container.securityContext);
  problems.push(
    ...securityContextIds(context, [...path, 'securityContext']),
    ...seccompProfile(context, [...path, 'securityContext']),
    ...privilegeEscalation(context, [...path, 'securityContext']),
  );
  return problems;
}

/** An `env` list: each variable's source and key references. */
export function envProblems(env: unknown, path: FieldPath): Problem[] {
  return asArray(env).flatMap((item, i) => {
    const variable = asObject(item);
    return variable ? [...envVarSource(variable, [...path, i]), ...envVarKeyRefs(variable, [...path, i])] : [];
  });
}
