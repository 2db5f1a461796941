import { YUNIKORN_CONFIG_MAP } from '../../constructs/conventions';
import { validateQueuesYaml } from '../yunikorn-queue-validator';
import { perObject, toFindings } from '../finding';
import { asObject, asString } from '../object-access';

/**
 * YuniKorn's own configuration rules (an offline copy of yunikorn-core's validator, plus the checks it only makes
 * when a configuration is applied) over `queues.yaml` in the `yunikorn-configs` ConfigMap. YuniKorn's admission
 * webhook fails open when the scheduler is unreachable, so a bad configuration could otherwise be stored unchecked.
 */
export const yunikornQueues = perObject((target) => {
  const { object } = target;
  if (object.kind !== 'ConfigMap' || asString(asObject(object.metadata)?.name) !== YUNIKORN_CONFIG_MAP.name) return [];
  const queues = asString(asObject(object.data)?.[YUNIKORN_CONFIG_MAP.queuesKey]);
  if (queues === undefined) return [];
  const path = ['data', YUNIKORN_CONFIG_MAP.queuesKey];
  return toFindings(
    target,
    validateQueuesYaml(queues).map((problem) => ({ path, message: `${problem.at}: ${problem.message}` })),
  );
});
