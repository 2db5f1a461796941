import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s/render';
import { EngineResource, enginePolicies, KUBERNETES_RULES, runRules, SYNTHESIZED_LABEL } from '../../policies/index';
import { installAwsMocks } from '../helpers/aws-mocks';
import { MockedResource, settle } from '../helpers/pulumi-mocks';

/** `rule: message` of every mandatory finding, so a failure names what to fix. */
function mandatory<T>(findings: ReturnType<typeof runRules<T>>): string[] {
  return findings
    .filter((f) => f.rule.enforcementLevel === 'mandatory')
    .map((f) => `${f.rule.name}: ${f.violation.message}`);
}

/**
 * What the policy engine would see in a preview of the mocked program: every registered resource (the id stands in
 * for the output that settings resources reference, e.g. `bucket: bucket.id`) and, as the provider registers them,
 * the children of each ConfigGroup.
 */
function engineView(mocked: readonly MockedResource[]): EngineResource[] {
  return mocked.flatMap((r): EngineResource[] => {
    const own = {
      type: r.type,
      name: r.name,
      urn: r.urn ?? `urn:${r.type}::${r.name}`,
      props: { ...r.inputs, id: r.id },
    };
    if (r.type !== 'kubernetes:yaml/v2:ConfigGroup') return [own];
    const children = (r.inputs.objs as any[]).map((o) => ({
      type: `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`,
      name: o.metadata.name,
      urn: `${own.urn}$${o.kind}::${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      props: o,
    }));
    return [own, ...children];
  });
}

describe.each(ENVIRONMENT_NAMES)('shipped environment %s', (envName) => {
  test('its synthesized Kubernetes objects pass every mandatory rule', () => {
    const objects = renderEnvironment(loadEnvironment(envName)).flatMap((chart) => chart.objects);
    expect(objects.length).toBeGreaterThan(0);
    // no-secret-data recognises synthesized objects by this label.
    objects.forEach((o) =>
      expect(o.metadata.labels).toMatchObject({ [SYNTHESIZED_LABEL.key]: SYNTHESIZED_LABEL.value }),
    );
    expect(mandatory(runRules(KUBERNETES_RULES, objects))).toEqual([]);
  });

  test('a preview of its Pulumi program (AWS resources, Kubernetes resources and ConfigGroup objects) passes every mandatory policy', async () => {
    jest.resetModules();
    const mocked = await installAwsMocks(envName);
    const { deployBothProjects } = await import('../helpers/deploy-environment');
    await deployBothProjects(loadEnvironment(envName));
    await settle(800);
    const resources = engineView(mocked);
    expect(resources.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        'aws:s3/bucket:Bucket',
        'aws:eks/cluster:Cluster',
        'aws:rds/instance:Instance',
        'kubernetes:core/v1:Namespace',
      ]),
    );
    const violations: string[] = [];
    for (const policy of enginePolicies().filter((p) => p.enforcementLevel === 'mandatory')) {
      const report = (message: string) => violations.push(`${policy.name}: ${message}`);
      if ('validateStack' in policy) policy.validateStack({ resources }, report);
      else resources.forEach((r) => policy.validateResource(r, report));
    }
    expect(violations).toEqual([]);
  });
});
