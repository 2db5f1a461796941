/** Service rules of `ValidateService` (`pkg/apis/core/validation/validation.go`) beyond the schema. */
import { show } from '../../config';
import { FieldPath } from '../field-path';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { labelMapProblems } from '../labels';
import { dns1123Label, portNumber, portNumberOrName } from '../names';
import { asArray, asObject, JsonObject, valueAt } from '../object-access';

/** Ports: numbers, target ports, node ports, names required and unique when there are several. */
export function servicePorts(spec: JsonObject, path: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const ports = asArray(spec.ports);
  const names = new Set<string>();
  ports.forEach((item, index) => {
    const port = asObject(item) ?? {};
    const at = [...path, 'ports', index];
    if (typeof port.name === 'string' && port.name !== '') {
      problems.push(...invalid([...at, 'name'], port.name, dns1123Label(port.name)));
      if (names.has(port.name))
        problems.push({
          path: [...at, 'name'],
          message: `duplicate value ${show(port.name)}: port names must be unique`,
        });
      names.add(port.name);
    } else if (ports.length > 1) {
      problems.push({ path: [...at, 'name'], message: 'required when the Service has more than one port' });
    }
    // Two ports with one number and protocol are duplicate list-map keys: the schema check reports them.
    if (typeof port.port === 'number') problems.push(...invalid([...at, 'port'], port.port, portNumber(port.port)));
    // An unset (0 or "") target port defaults to `port`.
    const targetPort = port.targetPort;
    if ((typeof targetPort === 'number' && targetPort !== 0) || (typeof targetPort === 'string' && targetPort !== ''))
      problems.push(...invalid([...at, 'targetPort'], targetPort, portNumberOrName(targetPort)));
    if (typeof port.nodePort === 'number' && port.nodePort !== 0)
      problems.push(...invalid([...at, 'nodePort'], port.nodePort, portNumber(port.nodePort)));
  });
  return problems;
}

/** What each Service type allows: node ports only on NodePort/LoadBalancer, an external name only on ExternalName. */
export function serviceType(spec: JsonObject, path: FieldPath): Problem[] {
  const type = spec.type ?? 'ClusterIP';
  const problems: Problem[] = [];
  if (type === 'ClusterIP' || type === 'ExternalName')
    asArray(spec.ports).forEach((port, i) => {
      const nodePort = asObject(port)?.nodePort;
      if (typeof nodePort === 'number' && nodePort !== 0)
        problems.push({
          path: [...path, 'ports', i, 'nodePort'],
          message: `may not be used when \`type\` is '${type}'`,
        });
    });
  if (type === 'ExternalName' && !spec.externalName)
    problems.push({ path: [...path, 'externalName'], message: 'Required value' });
  // Headless Services (clusterIP None) may have no ports.
  if (type !== 'ExternalName' && spec.clusterIP !== 'None' && asArray(spec.ports).length === 0)
    problems.push({ path: [...path, 'ports'], message: 'Required value' });
  if (spec.externalTrafficPolicy !== undefined && type !== 'NodePort' && type !== 'LoadBalancer')
    problems.push({
      path: [...path, 'externalTrafficPolicy'],
      message: "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
    });
  if (spec.clusterIP === 'None' && (type === 'NodePort' || type === 'LoadBalancer'))
    problems.push({ path: [...path, 'clusterIP'], message: `may not be set to 'None' for ${type} services` });
  return problems;
}

/** A Service's ports, type-dependent fields and selector labels. */
export const services = perObject((target) => {
  const spec = asObject(target.object.spec);
  if (target.object.kind !== 'Service' || spec === undefined) return [];
  return toFindings(target, [
    ...labelMapProblems(valueAt(target.object, ['spec', 'selector']), ['spec', 'selector']),
    ...servicePorts(spec, ['spec']),
    ...serviceType(spec, ['spec']),
  ]);
});
