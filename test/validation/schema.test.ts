import { container, findingLines, object, pod } from './helpers';

const FILE = 'test/objects.k8s.yaml';

describe('strict Kubernetes schemas (1.28 served document and 1.34 v3 files)', () => {
  test('a value of the wrong type is rejected', () => {
    const deployment = object('apps/v1', 'Deployment', 'web', {
      spec: {
        replicas: '2',
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } },
      },
    });
    expect(findingLines(deployment)).toEqual([
      `${FILE}: Deployment default/web: spec.replicas: expected integer, got "2"`,
    ]);
  });

  test('a required field is required', () => {
    const deployment = object('apps/v1', 'Deployment', 'web', {
      spec: { template: { spec: { containers: [container()] } } },
    });
    expect(findingLines(deployment)).toEqual([
      `${FILE}: Deployment default/web: spec.selector: required field is missing`,
    ]);
  });

  test('nulls mean unset, as the API server decodes them', () => {
    expect(findingLines({ ...pod({ nodeSelector: null, hostname: null }), status: null })).toEqual([]);
    expect(findingLines(pod({ containers: null }))).toEqual([
      `${FILE}: Pod default/worker: spec.containers: required field is missing`,
    ]);
  });

  test('int32 fields reject values out of range', () => {
    const deployment = object('apps/v1', 'Deployment', 'web', {
      spec: {
        replicas: 3000000000,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } },
      },
    });
    expect(findingLines(deployment)).toEqual([
      `${FILE}: Deployment default/web: spec.replicas: 3000000000 is out of range for int32 (-2147483648 to 2147483647)`,
    ]);
  });

  test('byte fields must be base64', () => {
    expect(findingLines(object('v1', 'Secret', 'token', { data: { token: 'not base64!' } }))).toEqual([
      `${FILE}: Secret default/token: data.token: "not base64!" is not a valid byte`,
    ]);
  });

  test('IntOrString fields take an integer or a string, nothing else', () => {
    const service = (targetPort: unknown) =>
      object('v1', 'Service', 'web', {
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort }] },
      });
    expect(findingLines(service(8080), service('http'))).toEqual([
      `${FILE}: Service default/web: metadata.name: duplicate object: also defined in ${FILE} (document 1)`,
    ]);
    expect(findingLines(service(true))).toEqual([
      `${FILE}: Service default/web: spec.ports[0].targetPort: expected integer or string, got true`,
    ]);
  });

  test('quantities may be numbers, as the Go unmarshaller accepts', () => {
    expect(
      findingLines(pod({ containers: [container({ resources: { limits: { cpu: 1.5, memory: 1073741824 } } })] })),
    ).toEqual([]);
  });

  test('list-map keys must be unique, an omitted protocol counting as TCP', () => {
    const ports = [
      { containerPort: 8080, protocol: 'TCP' },
      { containerPort: 8080 },
      { containerPort: 8080, protocol: 'UDP' },
    ];
    expect(findingLines(pod({ containers: [container({ ports })] }))).toEqual([
      `${FILE}: Pod default/worker: spec.containers[0].ports[1]: duplicate entries for key [containerPort=8080,protocol="TCP"]`,
    ]);
  });

  test('a field added after 1.28 is unknown to 1.28 only', () => {
    const job = object('batch/v1', 'Job', 'load', {
      spec: {
        managedBy: 'kueue.x-k8s.io/multikueue',
        template: { spec: { restartPolicy: 'Never', containers: [container()] } },
      },
    });
    expect(findingLines(job)).toEqual([
      `${FILE}: Job default/load: spec.managedBy: unknown field "managedBy" (Kubernetes 1.28)`,
    ]);
  });

  test('a kind only 1.34 serves is reported for 1.28 (unless SERVED_FROM says which versions serve it)', () => {
    const cidr = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name: 'extra' },
      spec: { cidrs: ['10.96.0.0/16'] },
    };
    expect(findingLines(cidr)).toEqual([
      `${FILE}: ServiceCIDR extra: apiVersion: networking.k8s.io/v1 ServiceCIDR is not served by Kubernetes 1.28`,
    ]);
  });

  test('a removed apiVersion is served by neither version', () => {
    const budget = object('policy/v1beta1', 'PodDisruptionBudget', 'web', {
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    expect(findingLines(budget)).toEqual([
      `${FILE}: PodDisruptionBudget default/web: apiVersion: policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.28 or 1.35, nor by a known CRD`,
    ]);
  });

  test('apiVersion and kind are required', () => {
    expect(findingLines({ metadata: { name: 'orphan', namespace: 'default' } })).toEqual([
      `${FILE}: (no kind) default/orphan: apiVersion: required field is missing (a string)`,
      `${FILE}: (no kind) default/orphan: kind: required field is missing (a string)`,
    ]);
  });

  test('a property named $ref (in JSONSchemaProps) stays a property, not a reference', () => {
    const crd = (ref: unknown) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { $ref: ref } } } },
          },
        ],
      },
    });
    expect(findingLines(crd('#/definitions/spec'))).toEqual([]);
    expect(findingLines(crd(5))).toEqual([
      `${FILE}: CustomResourceDefinition widgets.example.com: spec.versions[0].schema.openAPIV3Schema.properties.spec.$ref: expected string, got 5`,
    ]);
  });
});
