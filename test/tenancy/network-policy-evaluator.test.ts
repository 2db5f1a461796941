import { NetworkPolicyEvaluator, inCidr, selectorMatches } from './helpers/network-policy-evaluator';

// The evaluator decides the isolation tests, so its semantics are pinned here on hand-written policies.
describe('NetworkPolicyEvaluator', () => {
  const a = {
    ip: '10.0.0.1',
    pod: { namespace: 'a', labels: { app: 'x' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'a', team: 'red' } },
  };
  const b = {
    ip: '10.0.0.2',
    pod: { namespace: 'b', labels: { app: 'y' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'b' } },
  };
  const policy = (namespace: string, spec: object) => ({
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace },
    spec,
  });

  test('pods no policy selects are not isolated', () => {
    expect(new NetworkPolicyEvaluator([]).allows({ from: a, to: b, port: 80 })).toBe(true);
  });

  test('a policy with an empty rule list isolates and allows nothing', () => {
    const evaluator = new NetworkPolicyEvaluator([policy('b', { podSelector: {}, policyTypes: ['Ingress'] })]);
    expect(evaluator.allows({ from: a, to: b, port: 80 })).toBe(false);
    expect(evaluator.allows({ from: b, to: a, port: 80 })).toBe(true);
  });

  test('policyTypes default to Ingress, plus Egress when egress rules exist', () => {
    const evaluator = new NetworkPolicyEvaluator([policy('a', { podSelector: {}, egress: [] })]);
    expect(evaluator.egressAllows({ from: a, to: b, port: 80 })).toBe(false);
    expect(evaluator.ingressAllows({ from: b, to: a, port: 80 })).toBe(false);
  });

  test('a namespaceSelector and a podSelector in one peer must both match', () => {
    const evaluator = new NetworkPolicyEvaluator([
      policy('b', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { team: 'red' } }, podSelector: { matchLabels: { app: 'z' } } }],
          },
        ],
      }),
    ]);
    expect(evaluator.allows({ from: a, to: b, port: 80 })).toBe(false);
    const az = { ...a, pod: { ...a.pod, labels: { app: 'z' } } };
    expect(evaluator.allows({ from: az, to: b, port: 80 })).toBe(true);
  });

  test('a podSelector without namespaceSelector means the policy namespace only', () => {
    const evaluator = new NetworkPolicyEvaluator([
      policy('b', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] }),
    ]);
    expect(evaluator.allows({ from: a, to: b, port: 80 })).toBe(false);
  });

  test('ipBlock excepts and port ranges are honoured', () => {
    const evaluator = new NetworkPolicyEvaluator([
      policy('a', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
            ports: [{ protocol: 'TCP', port: 8000, endPort: 8080 }],
          },
        ],
      }),
    ]);
    expect(evaluator.allows({ from: a, to: { ip: '8.8.8.8' }, port: 8080 })).toBe(true);
    expect(evaluator.allows({ from: a, to: { ip: '8.8.8.8' }, port: 8081 })).toBe(false);
    expect(evaluator.allows({ from: a, to: { ip: '8.8.8.8' }, port: 8080, protocol: 'UDP' })).toBe(false);
    expect(evaluator.allows({ from: a, to: { ip: '10.1.1.1' }, port: 8080 })).toBe(false);
  });

  test('selectors and CIDRs', () => {
    expect(selectorMatches({}, {})).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }, { k: 'v' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'k', operator: 'DoesNotExist' }] }, { k: 'v' })).toBe(false);
    expect(inCidr('10.20.3.4', '10.20.0.0/16')).toBe(true);
    expect(inCidr('10.21.3.4', '10.20.0.0/16')).toBe(false);
  });
});
