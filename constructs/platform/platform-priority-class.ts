import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PLATFORM_PRIORITY_CLASS, PRIORITY_CLASSES } from '../conventions';

/**
 * The PriorityClass of platform pods (PLATFORM_PRIORITY_CLASS): above every Spark class, so when a node runs short the
 * scheduler evicts tenant work before the operators, the catalog and the History Servers it depends on. It never
 * preempts anything itself beyond that (the default policy), and is not the global default.
 */
export class PlatformPriorityClass extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubePriorityClass(this, 'Resource', {
      metadata: { name: PLATFORM_PRIORITY_CLASS.name },
      value: PLATFORM_PRIORITY_CLASS.value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: `Platform services: above the Spark classes (${Object.values(PRIORITY_CLASSES).join(', ')}).`,
    });
  }
}
