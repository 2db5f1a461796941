// Tainted system nodes: every platform pod tolerates the taint and outranks tenant work; no tenant pod tolerates it.
import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { PLATFORM_NAMESPACES, SYSTEM_NODE_TAINT } from '../../constructs/conventions';
import { renderEnvironment } from '../../stacks/k8s/render';

/** The pod specs an object creates, with where they come from. */
function podSpecs(o: any): { where: string; spec: any }[] {
  const id = `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'Job':
      return [{ where: id, spec: o.spec.template.spec }];
    case 'CronJob':
      return [{ where: id, spec: o.spec.jobTemplate.spec.template.spec }];
    case 'SparkApplication':
      return ['driver', 'executor'].map((role) => ({ where: `${id} ${role}`, spec: o.spec[role] }));
    case 'ScheduledSparkApplication':
      return ['driver', 'executor'].map((role) => ({ where: `${id} ${role}`, spec: o.spec.template[role] }));
    default:
      return [];
  }
}

const toleratesSystem = (spec: any) => (spec.tolerations ?? []).some((t: any) => t.key === SYSTEM_NODE_TAINT.key);

describe.each(ENVIRONMENT_NAMES)('%s', (envName) => {
  const env = loadEnvironment(envName);
  const objects = renderEnvironment(env).flatMap((c) => c.objects as any[]);
  const platform = new Set<string>(Object.values(PLATFORM_NAMESPACES));
  const tenants = new Set(env.tenants.map((t) => t.name));
  const pods = objects.flatMap(podSpecs);

  test('every platform pod tolerates the system taint and runs at the platform priority', () => {
    const platformPods = pods.filter((p) => platform.has(p.where.split(' ')[1].split('/')[0]));
    expect(platformPods.length).toBeGreaterThan(env.tenants.length);
    const misplaced = platformPods
      .filter((p) => !toleratesSystem(p.spec) || p.spec.priorityClassName !== 'dataplane-platform')
      .map((p) => p.where);
    expect(misplaced).toEqual([]);
  });

  test('no tenant pod tolerates it, so none can land on a system node', () => {
    const tenantPods = pods.filter((p) => tenants.has(p.where.split(' ')[1].split('/')[0]));
    expect(tenantPods.length).toBeGreaterThan(0);
    expect(tenantPods.filter((p) => toleratesSystem(p.spec)).map((p) => p.where)).toEqual([]);
  });
});
