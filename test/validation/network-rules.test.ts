import { findingLines, object } from './helpers';

const FILE = 'test/objects.k8s.yaml';

const service = (ports: object[]) => object('v1', 'Service', 'web', { spec: { selector: { app: 'web' }, ports } });
const policy = (spec: object) =>
  object('networking.k8s.io/v1', 'NetworkPolicy', 'allow', { spec: { podSelector: {}, ...spec } });

describe('Service rules', () => {
  test('ports of a multi-port Service need unique DNS-label names', () => {
    expect(findingLines(service([{ name: 'http', port: 80 }, { name: 'http', port: 443 }, { port: 8080 }]))).toEqual([
      `${FILE}: Service default/web: spec.ports[1].name: duplicate value "http": port names must be unique`,
      `${FILE}: Service default/web: spec.ports[2].name: required when the Service has more than one port`,
    ]);
  });

  test('port numbers are 1-65535 and a named target port is an IANA service name', () => {
    expect(findingLines(service([{ name: 'http', port: 65536, targetPort: 'HTTP' }]))).toEqual([
      `${FILE}: Service default/web: spec.ports[0].port: invalid value 65536: must be between 1 and 65535, inclusive`,
      `${FILE}: Service default/web: spec.ports[0].targetPort: invalid value "HTTP": must contain at least one letter`,
      `${FILE}: Service default/web: spec.ports[0].targetPort: invalid value "HTTP": must contain only lowercase letters, digits and '-'`,
    ]);
  });

  test('two ports with the same number and protocol are duplicate list-map entries', () => {
    expect(
      findingLines(
        service([
          { name: 'a', port: 80 },
          { name: 'b', port: 80, protocol: 'TCP' },
        ]),
      ),
    ).toEqual([`${FILE}: Service default/web: spec.ports[1]: duplicate entries for key [port=80,protocol="TCP"]`]);
  });
});

describe('NetworkPolicy rules', () => {
  test('a peer is exactly one of ipBlock, or pod and/or namespace selectors', () => {
    const ingress = [
      { from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, { namespaceSelector: {}, podSelector: {} }] },
    ];
    expect(findingLines(policy({ ingress }))).toEqual([
      `${FILE}: NetworkPolicy default/allow: spec.ingress[0].from[0]: must specify a peer: podSelector, namespaceSelector or ipBlock`,
      `${FILE}: NetworkPolicy default/allow: spec.ingress[0].from[1]: may not specify both ipBlock and another peer`,
    ]);
  });

  test('CIDRs must parse and exceptions lie strictly inside them', () => {
    const egress = [
      {
        to: [
          { ipBlock: { cidr: '10.0.0.0/33' } },
          { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', '10.0.5.0/24'] } },
        ],
      },
    ];
    expect(findingLines(policy({ egress }))).toEqual([
      `${FILE}: NetworkPolicy default/allow: spec.egress[0].to[0].ipBlock.cidr: invalid value "10.0.0.0/33": must be a valid CIDR (e.g. 10.0.0.0/16 or fd00::/8)`,
      `${FILE}: NetworkPolicy default/allow: spec.egress[0].to[1].ipBlock.except[0]: invalid value "10.1.0.0/24": must be a strict subset of \`cidr\``,
      `${FILE}: NetworkPolicy default/allow: spec.egress[0].to[1].ipBlock.except[1]: invalid value "10.0.0.0/16": must be a strict subset of \`cidr\``,
    ]);
  });

  test('endPort needs a numeric port no greater than itself', () => {
    const ports = [{ port: 9000, endPort: 8000 }, { port: 'http', endPort: 9000 }, { endPort: 9000 }];
    expect(findingLines(policy({ egress: [{ ports }] }))).toEqual([
      `${FILE}: NetworkPolicy default/allow: spec.egress[0].ports[0].endPort: invalid value 8000: must be greater than or equal to \`port\``,
      `${FILE}: NetworkPolicy default/allow: spec.egress[0].ports[1].endPort: invalid value 9000: may not be specified when \`port\` is non-numeric`,
      `${FILE}: NetworkPolicy default/allow: spec.egress[0].ports[2].endPort: invalid value 9000: may not be specified when \`port\` is not specified`,
    ]);
  });

  test('policyTypes are Ingress or Egress (the 1.28 schema has no enum for them)', () => {
    expect(findingLines(policy({ policyTypes: ['Ingress', 'Egres'] }))).toEqual([
      `${FILE}: NetworkPolicy default/allow: spec.policyTypes[1]: unsupported value "Egres"; supported values: "Ingress", "Egress"`,
    ]);
  });
});
