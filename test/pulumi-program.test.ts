import { ENVIRONMENT_NAMES, loadEnvironment } from '../config';
import { AWS_INPUTS } from './helpers/platform-inputs';
import { installMocks, MockedResource } from './helpers/pulumi-mocks';

describe.each(ENVIRONMENT_NAMES)('Pulumi program for %s', (envName) => {
  let resources: MockedResource[];
  let render: typeof import('../stacks/k8s/render');

  beforeAll(async () => {
    jest.resetModules();
    resources = await installMocks(envName, { 'dataplane:environment': envName });
    render = await import('../stacks/k8s/render');
    const { deployDataPlane } = await import('../stacks/pulumi/program');
    deployDataPlane(loadEnvironment(envName), { platform: AWS_INPUTS });
    await new Promise((r) => setTimeout(r, 100));
  });

  test('applies every synthesized layer, in order, as a ConfigGroup of the same objects', () => {
    const groups = resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
    const charts = render.renderEnvironment(loadEnvironment(envName));
    expect(groups.map((g) => g.name)).toEqual(charts.map((c) => `${envName}-${c.name}`));
    groups.forEach((group, i) => expect(group.inputs.objs).toEqual(charts[i].objects));
    const tenants = groups.find((g) => g.name === `${envName}-tenants`)!;
    expect(tenants.inputs.objs.filter((o: any) => o.kind === 'Namespace').map((o: any) => o.metadata.name)).toEqual(
      loadEnvironment(envName).tenants.map((t) => t.name),
    );
  });
});
