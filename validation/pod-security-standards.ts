/**
 * The Pod Security Standards as the PodSecurity admission plugin enforces them, one function per check, ported from
 * kubernetes/kubernetes `staging/src/k8s.io/pod-security-admission/policy/check_*.go` (the `latest` version of each
 * check; the differences between 1.28 and 1.35 are additions to the allowed sysctls and SELinux types).
 */
import { FieldPath } from './field-path';
import { Problem } from './finding';
import { asArray, asObject, asString, JsonObject } from './object-access';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** A pod as the checks see it, wherever its fields come from (a pod template, or a Spark driver/executor spec). */
export interface PodView {
  /** Pod-level fields: hostNetwork, hostPID, hostIPC, volumes, securityContext. */
  readonly spec: JsonObject;
  readonly annotations?: JsonObject;
  /** Where a pod-level field sits in the object (so findings point at the field the author wrote). */
  readonly at: (field: string) => FieldPath;
  readonly containers: readonly { readonly container: JsonObject; readonly path: FieldPath }[];
}

type Check = (pod: PodView) => Problem[];

const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

const forbid = (path: FieldPath, reason: string, detail: string): Problem => ({
  path,
  message: `${reason} (${detail})`,
});
const context = (c: JsonObject) => asObject(c.securityContext);
const name = (c: JsonObject) => JSON.stringify(asString(c.name) ?? 'spark');

/** check_hostNamespaces: no hostNetwork, hostPID, hostIPC. */
export const hostNamespaces: Check = (pod) =>
  ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((field) => pod.spec[field] === true)
    .map((field) => forbid(pod.at(field), 'host namespaces', `${field}=true`));

/** check_privileged: no privileged container. */
export const privileged: Check = (pod) =>
  pod.containers
    .filter(({ container }) => context(container)?.privileged === true)
    .map(({ container, path }) =>
      forbid(
        [...path, 'securityContext', 'privileged'],
        'privileged',
        `container ${name(container)} must not set securityContext.privileged=true`,
      ),
    );

/** check_capabilities_baseline: only the default capabilities may be added. */
export const capabilitiesBaseline: Check = (pod) =>
  pod.containers.flatMap(({ container, path }) =>
    asArray(asObject(context(container)?.capabilities)?.add)
      .filter((cap) => typeof cap === 'string' && !BASELINE_CAPABILITIES.includes(cap))
      .map((cap) =>
        forbid(
          [...path, 'securityContext', 'capabilities', 'add'],
          'non-default capabilities',
          `container ${name(container)} must not include ${JSON.stringify(cap)} in securityContext.capabilities.add`,
        ),
      ),
  );

/** check_hostPathVolumes: no hostPath volume. */
export const hostPathVolumes: Check = (pod) =>
  asArray(pod.spec.volumes).flatMap((volume, i) =>
    asObject(volume)?.hostPath !== undefined
      ? [
          forbid(
            [...pod.at('volumes'), i, 'hostPath'],
            'hostPath volumes',
            `volume ${JSON.stringify(asObject(volume)?.name)}`,
          ),
        ]
      : [],
  );

/** check_hostPorts: no non-zero hostPort. */
export const hostPorts: Check = (pod) =>
  pod.containers.flatMap(({ container, path }) =>
    asArray(container.ports).flatMap((port, i) => {
      const hostPort = asObject(port)?.hostPort;
      return typeof hostPort === 'number' && hostPort !== 0
        ? [
            forbid(
              [...path, 'ports', i, 'hostPort'],
              'hostPort',
              `container ${name(container)} uses hostPort ${hostPort}`,
            ),
          ]
        : [];
    }),
  );

/** check_appArmorProfile: only the runtime default or a localhost profile (annotation or field). */
export const appArmorProfile: Check = (pod) => {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(pod.annotations ?? {}))
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      typeof value === 'string' &&
      value !== 'runtime/default' &&
      !value.startsWith('localhost/')
    )
      problems.push(forbid([], 'forbidden AppArmor profile', `${key}=${JSON.stringify(value)}`));
  const fieldCheck = (ctx: JsonObject | undefined, at: FieldPath) => {
    const type = asObject(ctx?.appArmorProfile)?.type;
    if (type === 'Unconfined')
      problems.push(
        forbid([...at, 'appArmorProfile', 'type'], 'forbidden AppArmor profile', 'appArmorProfile.type="Unconfined"'),
      );
  };
  fieldCheck(asObject(pod.spec.securityContext), pod.at('securityContext'));
  for (const { container, path } of pod.containers) fieldCheck(context(container), [...path, 'securityContext']);
  return problems;
};

/** check_seLinuxOptions: only the container types, no user or role. */
export const seLinuxOptions: Check = (pod) => {
  const problems: Problem[] = [];
  const check = (ctx: JsonObject | undefined, at: FieldPath) => {
    const options = asObject(ctx?.seLinuxOptions);
    if (options === undefined) return;
    if (typeof options.type === 'string' && !SELINUX_TYPES.includes(options.type))
      problems.push(
        forbid([...at, 'seLinuxOptions', 'type'], 'seLinuxOptions', `type ${JSON.stringify(options.type)}`),
      );
    for (const field of ['user', 'role'])
      if (typeof options[field] === 'string' && options[field] !== '')
        problems.push(forbid([...at, 'seLinuxOptions', field], 'seLinuxOptions', `${field} may not be set`));
  };
  check(asObject(pod.spec.securityContext), pod.at('securityContext'));
  for (const { container, path } of pod.containers) check(context(container), [...path, 'securityContext']);
  return problems;
};

/** check_procMount: the default /proc mount only. */
export const procMount: Check = (pod) =>
  pod.containers
    .filter(({ container }) => {
      const mount = context(container)?.procMount;
      return mount !== undefined && mount !== 'Default';
    })
    .map(({ container, path }) =>
      forbid(
        [...path, 'securityContext', 'procMount'],
        'procMount',
        `container ${name(container)} must not set securityContext.procMount=${JSON.stringify(context(container)?.procMount)}`,
      ),
    );

/** check_seccompProfile_baseline: never Unconfined. */
export const seccompBaseline: Check = (pod) => {
  const problems: Problem[] = [];
  const check = (ctx: JsonObject | undefined, at: FieldPath) => {
    if (asObject(ctx?.seccompProfile)?.type === 'Unconfined')
      problems.push(
        forbid([...at, 'seccompProfile', 'type'], 'seccompProfile', 'must not set seccompProfile.type to "Unconfined"'),
      );
  };
  check(asObject(pod.spec.securityContext), pod.at('securityContext'));
  for (const { container, path } of pod.containers) check(context(container), [...path, 'securityContext']);
  return problems;
};

/** check_sysctls: only the safe set. */
export const sysctls: Check = (pod) =>
  asArray(asObject(pod.spec.securityContext)?.sysctls).flatMap((item, i) => {
    const sysctl = asString(asObject(item)?.name);
    return sysctl !== undefined && !SAFE_SYSCTLS.includes(sysctl)
      ? [forbid([...pod.at('securityContext'), 'sysctls', i, 'name'], 'forbidden sysctls', sysctl)]
      : [];
  });

/** check_windowsHostProcess: no Windows host process. */
export const windowsHostProcess: Check = (pod) => {
  const contexts: [JsonObject | undefined, FieldPath][] = [
    [asObject(pod.spec.securityContext), pod.at('securityContext')],
    ...pod.containers.map(({ container, path }): [JsonObject | undefined, FieldPath] => [
      context(container),
      [...path, 'securityContext'],
    ]),
  ];
  return contexts
    .filter(([ctx]) => asObject(ctx?.windowsOptions)?.hostProcess === true)
    .map(([, at]) => forbid([...at, 'windowsOptions', 'hostProcess'], 'hostProcess', 'must not set hostProcess=true'));
};

/** check_restrictedVolumes: only volume types that expose nothing of the node. */
export const restrictedVolumes: Check = (pod) =>
  asArray(pod.spec.volumes).flatMap((item, i) => {
    const volume = asObject(item) ?? {};
    const types = Object.keys(volume).filter((key) => key !== 'name' && !RESTRICTED_VOLUMES.includes(key));
    return types.map((type) =>
      forbid(
        [...pod.at('volumes'), i, type],
        'restricted volume types',
        `volume ${JSON.stringify(volume.name)} uses ${type}`,
      ),
    );
  });

/** check_allowPrivilegeEscalation: every container sets it to false. */
export const allowPrivilegeEscalation: Check = (pod) =>
  pod.containers
    .filter(({ container }) => context(container)?.allowPrivilegeEscalation !== false)
    .map(({ container, path }) =>
      forbid(
        [...path, 'securityContext', 'allowPrivilegeEscalation'],
        'allowPrivilegeEscalation != false',
        `container ${name(container)} must set securityContext.allowPrivilegeEscalation=false`,
      ),
    );

/** check_runAsNonRoot: true on the pod (and not false on a container) or on every container. */
export const runAsNonRoot: Check = (pod) => {
  const podValue = asObject(pod.spec.securityContext)?.runAsNonRoot;
  return pod.containers
    .filter(({ container }) => {
      const own = context(container)?.runAsNonRoot;
      return own === false || (own === undefined && podValue !== true);
    })
    .map(({ container, path }) =>
      forbid(
        [...path, 'securityContext', 'runAsNonRoot'],
        'runAsNonRoot != true',
        `pod or container ${name(container)} must set securityContext.runAsNonRoot=true`,
      ),
    );
};

/** check_runAsUser: never user 0. */
export const runAsUser: Check = (pod) => {
  const problems: Problem[] = [];
  if (asObject(pod.spec.securityContext)?.runAsUser === 0)
    problems.push(forbid([...pod.at('securityContext'), 'runAsUser'], 'runAsUser=0', 'pod must not set runAsUser=0'));
  for (const { container, path } of pod.containers)
    if (context(container)?.runAsUser === 0)
      problems.push(
        forbid(
          [...path, 'securityContext', 'runAsUser'],
          'runAsUser=0',
          `container ${name(container)} must not set runAsUser=0`,
        ),
      );
  return problems;
};

/** check_seccompProfile_restricted: RuntimeDefault or Localhost, on the pod or on every container. */
export const seccompRestricted: Check = (pod) => {
  const allowed = (ctx: JsonObject | undefined) =>
    ['RuntimeDefault', 'Localhost'].includes(asObject(ctx?.seccompProfile)?.type as string);
  const podAllowed = allowed(asObject(pod.spec.securityContext));
  return pod.containers
    .filter(({ container }) => {
      const own = asObject(context(container)?.seccompProfile);
      return own === undefined ? !podAllowed : !allowed(context(container));
    })
    .map(({ container, path }) =>
      forbid(
        [...path, 'securityContext', 'seccompProfile'],
        'seccompProfile',
        `pod or container ${name(container)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      ),
    );
};

/** check_capabilities_restricted: drop ALL, add nothing but NET_BIND_SERVICE. */
export const capabilitiesRestricted: Check = (pod) =>
  pod.containers.flatMap(({ container, path }) => {
    const caps = asObject(context(container)?.capabilities);
    const problems: Problem[] = [];
    if (!asArray(caps?.drop).includes('ALL'))
      problems.push(
        forbid(
          [...path, 'securityContext', 'capabilities', 'drop'],
          'unrestricted capabilities',
          `container ${name(container)} must set securityContext.capabilities.drop=["ALL"]`,
        ),
      );
    for (const cap of asArray(caps?.add))
      if (cap !== 'NET_BIND_SERVICE')
        problems.push(
          forbid(
            [...path, 'securityContext', 'capabilities', 'add'],
            'unrestricted capabilities',
            `container ${name(container)} must not include ${JSON.stringify(cap)} in securityContext.capabilities.add`,
          ),
        );
    return problems;
  });

const BASELINE: readonly Check[] = [
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompBaseline,
  sysctls,
  windowsHostProcess,
];
const RESTRICTED: readonly Check[] = [
  ...BASELINE,
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  capabilitiesRestricted,
];

/** What a pod violates at `level` (nothing at `privileged`). */
export function podSecurityProblems(pod: PodView, level: PodSecurityLevel): Problem[] {
  const checks = level === 'restricted' ? RESTRICTED : level === 'baseline' ? BASELINE : [];
  return checks
    .flatMap((check) => check(pod))
    .map((p) => ({ ...p, message: `violates PodSecurity "${level}": ${p.message}` }));
}

/** The view of an ordinary pod spec at `path` (with the template's metadata annotations). */
export function podViewOf(spec: JsonObject, path: FieldPath, annotations?: JsonObject): PodView {
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((list) =>
    asArray(spec[list]).flatMap((item, i) => {
      const container = asObject(item);
      return container ? [{ container, path: [...path, list, i] }] : [];
    }),
  );
  return { spec, annotations, at: (field) => [...path, field], containers };
}
