import { parseManifest } from '../../validation';

describe('reading manifest files', () => {
  test('every document becomes an object with its position; empty documents are skipped', () => {
    const parsed = parseManifest(
      '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
      'x.k8s.yaml',
    );
    expect(parsed.findings).toEqual([]);
    expect(parsed.objects.map((o) => [o.document, (o.object.metadata as { name: string }).name])).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
  });

  test('a duplicate key is a finding, as with kubectl', () => {
    expect(parseManifest('apiVersion: v1\nkind: ConfigMap\nkind: Secret\n', 'x.k8s.yaml').findings).toEqual([
      { file: 'x.k8s.yaml', document: 1, path: '', message: 'YAML error at line 3: Map keys must be unique' },
    ]);
  });

  test('YAML that does not parse is a finding', () => {
    expect(parseManifest('apiVersion: v1\nkind: [ConfigMap\n', 'x.k8s.yaml').findings).toEqual([
      {
        file: 'x.k8s.yaml',
        document: 1,
        path: '',
        message:
          'YAML error at line 3: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });

  test('a document that is not an object is a finding', () => {
    expect(parseManifest('- apiVersion: v1\n', 'x.k8s.yaml').findings).toEqual([
      { file: 'x.k8s.yaml', document: 1, path: '', message: 'expected a Kubernetes object, found a list' },
    ]);
  });

  test('values are read as YAML 1.1, like the API server decoder (unquoted on/yes are booleans)', () => {
    const { objects } = parseManifest(
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  enabled: on\n  mode: "on"\n',
      'x.k8s.yaml',
    );
    expect(objects[0].object.data).toEqual({ enabled: true, mode: 'on' });
  });
});
