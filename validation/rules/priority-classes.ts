import { ManifestCheck, finding, Finding } from '../finding';
import { asObject } from '../object-access';

/** The only PriorityClasses allowed a `system-` name, with the values they must have. */
const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};
const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/**
 * `ValidatePriorityClass`: `system-` names are reserved, user values at most one billion; and (the priority
 * admission plugin) at most one PriorityClass may be the global default.
 */
export const priorityClasses: ManifestCheck = (objects) => {
  const findings: Finding[] = [];
  const defaults = [];
  for (const target of objects) {
    if (target.object.kind !== 'PriorityClass') continue;
    const { value, globalDefault } = target.object;
    const name = asObject(target.object.metadata)?.name;
    if (typeof name === 'string' && name.startsWith('system-')) {
      if (SYSTEM_PRIORITY_CLASSES[name] !== value || globalDefault === true) {
        findings.push(
          finding(
            target,
            ['metadata', 'name'],
            "priority class names with 'system-' prefix are reserved for system use only",
          ),
        );
      }
    } else if (typeof value === 'number' && value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      findings.push(
        finding(
          target,
          ['value'],
          `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
        ),
      );
    }
    if (globalDefault === true) defaults.push(target);
  }
  for (const extra of defaults.slice(1)) {
    findings.push(
      finding(
        extra,
        ['globalDefault'],
        `only one PriorityClass can be marked as globalDefault; ${describe(defaults[0].object)} already is`,
      ),
    );
  }
  return findings;
};

function describe(object: Record<string, unknown>): string {
  return `PriorityClass ${JSON.stringify(asObject(object.metadata)?.name)}`;
}
