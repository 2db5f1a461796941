import { findingLines, object } from './helpers';

const FILE = 'test/objects.k8s.yaml';

describe('environment-wide rules', () => {
  test('two objects with the same group, kind, namespace and name are duplicates', () => {
    expect(
      findingLines(
        object('v1', 'ConfigMap', 'conf'),
        object('v1', 'Secret', 'conf'),
        object('v1', 'ConfigMap', 'conf'),
      ),
    ).toEqual([
      `${FILE}: ConfigMap default/conf: metadata.name: duplicate object: also defined in ${FILE} (document 1)`,
    ]);
  });

  test('cluster-scoped duplicates count whatever namespace is stamped on them', () => {
    const role = (namespace: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader', namespace },
      rules: [],
    });
    expect(findingLines(role('a'), role('b'))).toEqual([
      `${FILE}: ClusterRole b/reader: metadata.name: duplicate object: also defined in ${FILE} (document 1)`,
    ]);
  });

  test('a namespaced object must be in a namespace the environment declares, or a built-in one', () => {
    const team = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
    const inNamespace = (namespace: string) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'spark', namespace },
    });
    expect(findingLines(team, inNamespace('team-a'), inNamespace('kube-system'))).toEqual([]);
    expect(findingLines(team, inNamespace('team-b'))).toEqual([
      `${FILE}: ServiceAccount team-b/spark: metadata.namespace: namespace "team-b" is not created by environment test and is not built in`,
    ]);
  });
});
