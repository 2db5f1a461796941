import { parse } from 'yaml';
import { TENANT_LABEL, YUNIKORN_CONFIG_MAP } from '../../constructs/conventions';
import { tenantSubmitter } from '../../constructs/tenancy/yunikorn-queue-config';
import { queueIsolationProblems, SchedulerConfigSchema, validateQueuesYaml } from '../yunikorn-queue-validator';
import { ManifestCheck, toFindings } from '../finding';
import { asObject, asString } from '../object-access';

/**
 * YuniKorn's own configuration rules (an offline copy of yunikorn-core's validator, plus the checks it only makes
 * when a configuration is applied) over `queues.yaml` in the `yunikorn-configs` ConfigMap. YuniKorn's admission
 * webhook fails open when the scheduler is unreachable, so a bad configuration could otherwise be stored unchecked.
 * A valid configuration is then checked for isolation against the tenant namespaces of the same environment (those
 * labelled TENANT_LABEL): no tenant's identity may be admitted to another tenant's leaf, and no parent may be open to all.
 */
export const yunikornQueues: ManifestCheck = (objects) => {
  const tenants = objects.flatMap(({ object }) => {
    const metadata = asObject(object.metadata);
    const tenant = asString(asObject(metadata?.labels)?.[TENANT_LABEL]);
    return object.kind === 'Namespace' && tenant && tenant === asString(metadata?.name) ? [tenant] : [];
  });
  return objects.flatMap((target) => {
    const { object } = target;
    if (object.kind !== 'ConfigMap' || asString(asObject(object.metadata)?.name) !== YUNIKORN_CONFIG_MAP.name)
      return [];
    const queues = asString(asObject(object.data)?.[YUNIKORN_CONFIG_MAP.queuesKey]);
    if (queues === undefined) return [];
    const path = ['data', YUNIKORN_CONFIG_MAP.queuesKey];
    const problems = validateQueuesYaml(queues).map((problem) => ({
      path,
      message: `${problem.at}: ${problem.message}`,
    }));
    if (problems.length === 0 && tenants.length > 0) {
      const config = SchedulerConfigSchema.parse(parse(queues) ?? {});
      problems.push(
        ...queueIsolationProblems(config, tenants.map(tenantSubmitter)).map((message) => ({ path, message })),
      );
    }
    return toFindings(target, problems);
  });
};
