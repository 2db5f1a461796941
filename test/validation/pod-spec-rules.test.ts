import { container, findingLines, object, pod } from './helpers';

const FILE = 'test/objects.k8s.yaml';
const POD = `${FILE}: Pod default/worker`;

describe('pod spec rules', () => {
  test('container names are DNS labels, unique across init and app containers', () => {
    expect(
      findingLines(
        pod({
          initContainers: [container({ name: 'main' })],
          containers: [container(), container({ name: 'Side_Car' })],
        }),
      ),
    ).toEqual([
      `${POD}: spec.containers[0].name: duplicate value "main": container names must be unique in the pod`,
      `${POD}: spec.containers[1].name: invalid value "Side_Car": ` +
        "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
    ]);
  });

  test('volume names are unique', () => {
    const volumes = [
      { name: 'data', emptyDir: {} },
      { name: 'data', emptyDir: {} },
    ];
    expect(findingLines(pod({ volumes }))).toEqual([
      // 1.35 also declares volumes a list-map keyed by name.
      `${POD}: spec.volumes[1]: duplicate entries for key [name="data"] (Kubernetes 1.35)`,
      `${POD}: spec.volumes[1].name: duplicate value "data": volume names must be unique in the pod`,
    ]);
  });

  test('container ports are 1-65535 and named with IANA service names, unique per container', () => {
    const ports = [
      { containerPort: 0 },
      { containerPort: 70000, name: 'http' },
      { containerPort: 8080, name: 'http' },
      { containerPort: 9090, name: 'metrics-port-too-long' },
      { containerPort: 9091, name: '9091' },
    ];
    expect(findingLines(pod({ containers: [container({ ports })] }))).toEqual([
      `${POD}: spec.containers[0].ports[0].containerPort: invalid value 0: must be between 1 and 65535, inclusive`,
      `${POD}: spec.containers[0].ports[1].containerPort: invalid value 70000: must be between 1 and 65535, inclusive`,
      `${POD}: spec.containers[0].ports[2].name: duplicate value "http": port names must be unique in the container`,
      `${POD}: spec.containers[0].ports[3].name: invalid value "metrics-port-too-long": must be no more than 15 characters (is 21)`,
      `${POD}: spec.containers[0].ports[4].name: invalid value "9091": must contain at least one letter`,
    ]);
  });

  test('probe ports are port numbers or port names', () => {
    const probe = {
      readinessProbe: { httpGet: { path: '/', port: 'http--port' } },
      livenessProbe: { tcpSocket: { port: 0 } },
    };
    expect(findingLines(pod({ containers: [container(probe)] }))).toEqual([
      `${POD}: spec.containers[0].livenessProbe.tcpSocket.port: invalid value 0: must be between 1 and 65535, inclusive`,
      `${POD}: spec.containers[0].readinessProbe.httpGet.port: invalid value "http--port": must not contain consecutive hyphens ('--')`,
    ]);
  });

  test('environment variable names follow the 1.28 rule', () => {
    const env = [
      { name: 'SPARK_HOME', value: '/opt/spark' },
      { name: '1BAD', value: 'x' },
      { name: 'spark.conf', value: 'y' },
    ];
    expect(findingLines(pod({ containers: [container({ env })] }))).toEqual([
      `${POD}: spec.containers[0].env[1].name: invalid value "1BAD": ` +
        "must consist of alphabetic characters, digits, '_', '-' or '.', and must not start with a digit",
    ]);
  });

  test('resource quantities are non-negative and requests within limits', () => {
    const resources = { requests: { cpu: '2', memory: '-1Gi' }, limits: { cpu: '1500m', memory: '1Gi' } };
    expect(findingLines(pod({ containers: [container({ resources })] }))).toEqual([
      `${POD}: spec.containers[0].resources.requests.cpu: invalid value "2": must be less than or equal to cpu limit of 1500m`,
      `${POD}: spec.containers[0].resources.requests.memory: invalid value "-1Gi": must be greater than or equal to 0`,
    ]);
  });

  test('unprefixed resource names must be standard; extended resources are whole and not overcommitted', () => {
    const resources = { requests: { cpus: '1', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '0.5' } };
    expect(findingLines(pod({ containers: [container({ resources })] }))).toEqual([
      `${POD}: spec.containers[0].resources.limits[nvidia.com/gpu]: invalid value "0.5": must be an integer`,
      `${POD}: spec.containers[0].resources.requests: invalid value "cpus": ` +
        'must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or a prefixed extended resource',
      `${POD}: spec.containers[0].resources.requests[nvidia.com/gpu]: invalid value "1": must be less than or equal to nvidia.com/gpu limit of 0.5`,
    ]);
  });

  test('Deployments run their pods with restartPolicy Always', () => {
    const deployment = object('apps/v1', 'Deployment', 'web', {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [container()] } },
      },
    });
    expect(findingLines(deployment)).toEqual([
      `${FILE}: Deployment default/web: spec.template.spec.restartPolicy: unsupported value "Never"; supported values: "Always"`,
    ]);
  });
});
