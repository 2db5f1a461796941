import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s/render';
import { AWS_RULES, AwsResource, KUBERNETES_RULES, runRules, SYNTHESIZED_LABEL } from '../../policies/index';
import { installAwsMocks } from '../helpers/aws-mocks';
import { MockedResource, settle } from '../helpers/pulumi-mocks';

/** `rule: message` of every mandatory finding, so a failure names what to fix. */
function mandatory<T>(findings: ReturnType<typeof runRules<T>>): string[] {
  return findings.filter((f) => f.rule.enforcementLevel === 'mandatory').map((f) => `${f.rule.name}: ${f.violation.message}`);
}

describe.each(ENVIRONMENT_NAMES)('shipped environment %s', (envName) => {
  test('its synthesized Kubernetes objects pass every mandatory rule', () => {
    const objects = renderEnvironment(loadEnvironment(envName)).flatMap((chart) => chart.objects);
    expect(objects.length).toBeGreaterThan(0);
    // no-secret-data recognises synthesized objects by this label.
    objects.forEach((o) => expect(o.metadata.labels).toMatchObject({ [SYNTHESIZED_LABEL.key]: SYNTHESIZED_LABEL.value }));
    expect(mandatory(runRules(KUBERNETES_RULES, objects))).toEqual([]);
  });

  test('the AWS resources of its Pulumi program pass every mandatory rule', async () => {
    jest.resetModules();
    const mocked: MockedResource[] = await installAwsMocks(envName);
    const { deployEnvironment } = await import('../../stacks/pulumi/program');
    deployEnvironment(loadEnvironment(envName));
    await settle(800);
    // The mocks see inputs; the id stands in for the output that settings resources reference (`bucket: bucket.id`).
    const resources: AwsResource[] = mocked
      .filter((r) => r.type.startsWith('aws:'))
      .map((r) => ({ type: r.type, name: r.name, urn: `urn:pulumi:${envName}::dataplane::${r.type}::${r.name}`, props: { ...r.inputs, id: r.id } }));
    expect(resources.map((r) => r.type)).toEqual(expect.arrayContaining(['aws:s3/bucket:Bucket', 'aws:eks/cluster:Cluster']));
    expect(mandatory(runRules(AWS_RULES, resources))).toEqual([]);
  });
});
