import { isQuantity, parseQuantity, show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { dns1123Label, envVarName, portName, portNumber, portNumberOrName, qualifiedName } from '../names';
import { asArray, asObject, asString, JsonObject } from '../object-access';
import { podTemplates } from '../pod-templates';
import { isExtendedResource, isOvercommitAllowed, isPrefixed } from '../resource-names';
import { podSpecFieldProblems } from './pod-spec-fields';

/** Restart policies each workload kind accepts; an unset policy defaults to Always. */
const RESTART_POLICIES: Readonly<Record<string, readonly string[]>> = {
  Job: ['OnFailure', 'Never'],
  CronJob: ['OnFailure', 'Never'],
  Deployment: ['Always'],
  ReplicaSet: ['Always'],
  StatefulSet: ['Always'],
  DaemonSet: ['Always'],
};

/** Resources a container may request without a prefix (besides `hugepages-<size>`). */
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * What the API server checks in every pod template: container and volume names, ports, probe ports, environment
 * variable names, resource names and quantities, the restart policy the owning workload allows, and the field rules
 * of pod-spec-fields.ts (volumes and mounts, env sources, tolerations, probes, security contexts).
 */
export const podSpecs = perObject((target) =>
  toFindings(
    target,
    podTemplates(target.object).flatMap(({ path, template, sparkOperator }) => {
      const spec = asObject(template.spec);
      if (spec === undefined) return [];
      const at = [...path, 'spec'];
      const allowed = sparkOperator ? undefined : RESTART_POLICIES[target.object.kind as string];
      return [
        ...podSpecProblems(spec, at),
        ...podSpecFieldProblems(spec, at),
        ...(allowed ? restartPolicyProblems(spec, at, allowed) : []),
      ];
    }),
  ),
);

function podSpecProblems(spec: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const containerNames = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    asArray(spec[list]).forEach((item, index) => {
      const container = asObject(item);
      if (container === undefined) return;
      const at = [...path, list, index];
      const name = asString(container.name);
      if (name !== undefined) {
        problems.push(...invalid([...at, 'name'], name, dns1123Label(name)));
        if (containerNames.has(name))
          problems.push({
            path: [...at, 'name'],
            message: `duplicate value ${show(name)}: container names must be unique in the pod`,
          });
        containerNames.add(name);
      }
      problems.push(...containerProblems(container, at));
    });
  }
  const volumeNames = new Set<string>();
  asArray(spec.volumes).forEach((volume, index) => {
    const name = asString(asObject(volume)?.name);
    if (name === undefined) return;
    problems.push(...invalid([...path, 'volumes', index, 'name'], name, dns1123Label(name)));
    if (volumeNames.has(name))
      problems.push({
        path: [...path, 'volumes', index, 'name'],
        message: `duplicate value ${show(name)}: volume names must be unique in the pod`,
      });
    volumeNames.add(name);
  });
  return problems;
}

function containerProblems(container: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const portNames = new Set<string>();
  asArray(container.ports).forEach((item, index) => {
    const port = asObject(item) ?? {};
    const at = [...path, 'ports', index];
    if (typeof port.containerPort === 'number')
      problems.push(...invalid([...at, 'containerPort'], port.containerPort, portNumber(port.containerPort)));
    if (typeof port.hostPort === 'number' && port.hostPort !== 0)
      problems.push(...invalid([...at, 'hostPort'], port.hostPort, portNumber(port.hostPort)));
    if (typeof port.name === 'string') {
      problems.push(...invalid([...at, 'name'], port.name, portName(port.name)));
      if (portNames.has(port.name))
        problems.push({
          path: [...at, 'name'],
          message: `duplicate value ${show(port.name)}: port names must be unique in the container`,
        });
      portNames.add(port.name);
    }
  });
  for (const probeField of PROBES) {
    const probe = asObject(container[probeField]);
    for (const action of ['httpGet', 'tcpSocket']) {
      const port = asObject(probe?.[action])?.port;
      if (typeof port === 'number' || typeof port === 'string')
        problems.push(...invalid([...path, probeField, action, 'port'], port, portNumberOrName(port)));
    }
    const grpcPort = asObject(probe?.grpc)?.port;
    if (typeof grpcPort === 'number')
      problems.push(...invalid([...path, probeField, 'grpc', 'port'], grpcPort, portNumber(grpcPort)));
  }
  asArray(container.env).forEach((variable, index) => {
    const name = asString(asObject(variable)?.name);
    if (name !== undefined) problems.push(...invalid([...path, 'env', index, 'name'], name, envVarName(name)));
  });
  problems.push(...resourceProblems(asObject(container.resources), [...path, 'resources']));
  return problems;
}

/** Resource names, non-negative quantities, requests within limits, and integral, equal extended resources. */
function resourceProblems(resources: JsonObject | undefined, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const limits = new Map(quantityEntries(resources?.limits));
  const requests = new Map(quantityEntries(resources?.requests));
  for (const [field, entries] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, quantity] of entries) {
      const at = [...path, field, name];
      problems.push(...invalid([...path, field], name, containerResourceName(name)));
      if (parseQuantity(quantity) < 0)
        problems.push({ path: at, message: `invalid value ${show(quantity)}: must be greater than or equal to 0` });
      if (isExtendedResource(name) && !Number.isInteger(parseQuantity(quantity))) {
        problems.push({ path: at, message: `invalid value ${show(quantity)}: must be an integer` });
      }
    }
  }
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    const at = [...path, 'requests', name];
    if (limit !== undefined && parseQuantity(request) > parseQuantity(limit)) {
      problems.push({
        path: at,
        message: `invalid value ${show(request)}: must be less than or equal to ${name} limit of ${limit}`,
      });
    } else if (!isOvercommitAllowed(name)) {
      if (limit === undefined)
        problems.push({
          path: [...path, 'limits'],
          message: `a limit must be set for ${name}, which cannot be overcommitted`,
        });
      else if (parseQuantity(request) !== parseQuantity(limit)) {
        problems.push({
          path: at,
          message: `invalid value ${show(request)}: must be equal to ${name} limit of ${limit}`,
        });
      }
    }
  }
  return problems;
}

function quantityEntries(map: unknown): [string, string | number][] {
  return Object.entries(asObject(map) ?? {}).filter((entry): entry is [string, string | number] =>
    isQuantity(entry[1]),
  );
}

function containerResourceName(name: string): string[] {
  if (isPrefixed(name)) return qualifiedName(name);
  return STANDARD_CONTAINER_RESOURCES.includes(name) || name.startsWith('hugepages-')
    ? []
    : [
        `must be a standard resource for containers (${STANDARD_CONTAINER_RESOURCES.join(', ')}, hugepages-<size>) or a prefixed extended resource`,
      ];
}

function restartPolicyProblems(spec: JsonObject, path: FieldPath, allowed: readonly string[]): Problem[] {
  const policy = spec.restartPolicy ?? 'Always';
  if (typeof policy !== 'string' || allowed.includes(policy)) return [];
  const defaulted = spec.restartPolicy === undefined ? ' (the default when unset)' : '';
  return [
    {
      path: [...path, 'restartPolicy'],
      message: `unsupported value ${show(policy)}${defaulted}; supported values: ${allowed.map((p) => show(p)).join(', ')}`,
    },
  ];
}
