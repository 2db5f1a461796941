import { show } from '../../config';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { labelMapProblems } from '../labels';
import { dns1123Label, portNumber, portNumberOrName } from '../names';
import { asArray, asObject, valueAt } from '../object-access';

/** Service ports (numbers, target ports, names required and unique when there are several) and the selector's labels. */
export const services = perObject((target) => {
  if (target.object.kind !== 'Service') return [];
  const problems: Problem[] = [...labelMapProblems(valueAt(target.object, ['spec', 'selector']), ['spec', 'selector'])];
  const ports = asArray(valueAt(target.object, ['spec', 'ports']));
  const names = new Set<string>();
  ports.forEach((item, index) => {
    const port = asObject(item) ?? {};
    const at = ['spec', 'ports', index];
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
    if (typeof port.port === 'number') problems.push(...invalid([...at, 'port'], port.port, portNumber(port.port)));
    // An unset (0 or "") target port defaults to `port`.
    const targetPort = port.targetPort;
    if ((typeof targetPort === 'number' && targetPort !== 0) || (typeof targetPort === 'string' && targetPort !== '')) {
      problems.push(...invalid([...at, 'targetPort'], targetPort, portNumberOrName(targetPort)));
    }
  });
  return toFindings(target, problems);
});
