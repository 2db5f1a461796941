import { container, findingLines, object, pod } from './helpers';

const FILE = 'test/objects.k8s.yaml';

const deployment = (selector: object, labels: object) =>
  object('apps/v1', 'Deployment', 'web', {
    spec: { selector, template: { metadata: { labels }, spec: { containers: [container()] } } },
  });

describe('object names per kind', () => {
  test('most kinds take an RFC 1123 subdomain', () => {
    expect(findingLines(object('v1', 'ConfigMap', 'spark.defaults-v1'))).toEqual([]);
    expect(findingLines(object('v1', 'ConfigMap', 'Spark_Defaults'))).toEqual([
      `${FILE}: ConfigMap default/Spark_Defaults: metadata.name: invalid value "Spark_Defaults": ` +
        "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    ]);
  });

  test('Namespaces take an RFC 1123 label (no dots)', () => {
    expect(findingLines({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } })).toEqual([
      `${FILE}: Namespace team.a: metadata.name: invalid value "team.a": ` +
        "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
    ]);
  });

  test('Services take an RFC 1035 label (starting with a letter)', () => {
    const service = object('v1', 'Service', '3web', { spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(findingLines(service)).toEqual([
      `${FILE}: Service default/3web: metadata.name: invalid value "3web": ` +
        "must be a lowercase RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
    ]);
  });

  test('RBAC names only have to be URL path segments', () => {
    const role = (name: string) => object('rbac.authorization.k8s.io/v1', 'Role', name, { rules: [] });
    expect(findingLines(role('system:spark-driver'))).toEqual([]);
    expect(findingLines(role('spark/driver'))).toEqual([
      `${FILE}: Role default/spark/driver: metadata.name: invalid value "spark/driver": may not contain '/'`,
    ]);
  });

  test('a name is required', () => {
    expect(findingLines({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } })).toEqual([
      `${FILE}: ConfigMap default/(no name): metadata.name: required field is missing`,
    ]);
  });
});

describe('labels and annotations', () => {
  test('label keys are qualified names and values at most 63 label characters', () => {
    const labels = { 'example.com/team': 'data', 'Bad Key': 'x', 'app.kubernetes.io/name': '-web' };
    expect(
      findingLines(object('v1', 'ConfigMap', 'c', { metadata: { name: 'c', namespace: 'default', labels } })),
    ).toEqual([
      `${FILE}: ConfigMap default/c: metadata.labels: invalid value "Bad Key": ` +
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      `${FILE}: ConfigMap default/c: metadata.labels[app.kubernetes.io/name]: invalid value "-web": ` +
        "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  test('pod template labels are checked too', () => {
    const labels = { app: 'web', tier: 'x'.repeat(64) };
    expect(findingLines(deployment({ matchLabels: { app: 'web' } }, labels))).toEqual([
      `${FILE}: Deployment default/web: spec.template.metadata.labels.tier: invalid value "${'x'.repeat(64)}": must be no more than 63 characters (is 64)`,
    ]);
  });

  test('annotations may total at most 256 KiB', () => {
    const annotations = { 'example.com/blob': 'x'.repeat(256 * 1024) };
    expect(
      findingLines(object('v1', 'ConfigMap', 'c', { metadata: { name: 'c', namespace: 'default', annotations } })),
    ).toEqual([
      `${FILE}: ConfigMap default/c: metadata.annotations: annotations total 262160 bytes; must have at most 262144 bytes`,
    ]);
  });
});

describe('label selectors', () => {
  test('a controller selector must match its template labels', () => {
    expect(findingLines(deployment({ matchLabels: { app: 'web' } }, { app: 'api' }))).toEqual([
      `${FILE}: Deployment default/web: spec.template.metadata.labels: \`selector\` does not match template \`labels\``,
    ]);
  });

  test('a controller selector may not be empty', () => {
    expect(findingLines(deployment({}, { app: 'web' }))).toEqual([
      `${FILE}: Deployment default/web: spec.selector: empty selector is invalid for Deployment`,
    ]);
  });

  test('expressions need a known operator and values exactly when it takes them', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: [] },
        { key: 'canary', operator: 'DoesNotExist', values: ['true'] },
        { key: 'zone', operator: 'Near', values: ['a'] },
      ],
    };
    expect(findingLines(deployment(selector, { app: 'web' }))).toEqual([
      `${FILE}: Deployment default/web: spec.selector.matchExpressions[0].values: must be specified when \`operator\` is 'In' or 'NotIn'`,
      `${FILE}: Deployment default/web: spec.selector.matchExpressions[1].values: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      `${FILE}: Deployment default/web: spec.selector.matchExpressions[2].operator: unsupported value "Near"; supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
      `${FILE}: Deployment default/web: spec.template.metadata.labels: \`selector\` does not match template \`labels\``,
    ]);
  });

  test('selectors inside pod specs (topology spread, affinity) are checked', () => {
    const topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'a b': 'c' } },
      },
    ];
    expect(findingLines(pod({ topologySpreadConstraints }))).toEqual([
      `${FILE}: Pod default/worker: spec.topologySpreadConstraints[0].labelSelector.matchLabels: invalid value "a b": ` +
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
  });
});
