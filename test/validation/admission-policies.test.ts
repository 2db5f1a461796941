import { Testing } from 'cdk8s';
import { VERSIONS } from '../../config';
import { TenantAdmissionPolicy } from '../../constructs/tenancy';
import { findingLines } from './helpers';

const FILE = 'test/objects.k8s.yaml';

// ValidatingAdmissionPolicy v1 is served from Kubernetes 1.30: the validator checks it against the cluster's schema,
// not against the 1.28 floor that never served it.
describe('ValidatingAdmissionPolicy objects are validated by the versions that serve them', () => {
  const synthesized = () => {
    const chart = Testing.chart();
    new TenantAdmissionPolicy(chart, 'policy', { tenant: 'trading' });
    return Testing.synth(chart);
  };

  test("the tenant's policies and bindings are clean", () => {
    expect(findingLines(...synthesized())).toEqual([]);
  });

  test('a field the served schema does not know is reported (by the cluster version)', () => {
    const [policy] = synthesized();
    const broken = { ...policy, spec: { ...policy.spec, validation: [] } };
    expect(findingLines(broken).join('\n')).toMatch(
      /ValidatingAdmissionPolicy dataplane-trading-pods: spec\.validation/,
    );
  });

  test('a kind no checked version serves is still reported', () => {
    const [policy] = synthesized();
    expect(findingLines({ ...policy, apiVersion: 'admissionregistration.k8s.io/v1alpha9' })).toEqual([
      `${FILE}: ValidatingAdmissionPolicy dataplane-trading-pods: apiVersion: admissionregistration.k8s.io/v1alpha9 ValidatingAdmissionPolicy is not served by Kubernetes ${VERSIONS.kubernetes.apiFloor} or ${VERSIONS.kubernetes.cluster}, nor by a known CRD`,
    ]);
  });
});
