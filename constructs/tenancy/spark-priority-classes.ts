import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Problems } from '../../config';
import { PRIORITY_CLASSES } from '../conventions';

/** Defaults of {@link SparkPriorityClasses}. */
export const SPARK_PRIORITY_DEFAULTS = { interactiveValue: 10_000, batchValue: 1_000 } as const;

/** The highest value a PriorityClass outside `system-*` may have. */
const HIGHEST_USER_PRIORITY = 1_000_000_000;

/** YuniKorn reads this annotation on a PriorityClass to decide whether its pods may be preempted. */
const ALLOW_PREEMPTION = 'yunikorn.apache.org/allow-preemption';

/** Props of {@link SparkPriorityClasses}. */
export interface SparkPriorityClassesProps {
  /**
   * Priority of interactive Spark work (notebooks, ad-hoc queries), above batch.
   * @default 10000
   */
  readonly interactiveValue?: number;
  /**
   * Priority of batch Spark work (scheduled jobs), above the default 0 of unclassified pods.
   * @default 1000
   */
  readonly batchValue?: number;
}

/**
 * The cluster's PriorityClasses for Spark (PRIORITY_CLASSES names them):
 * - interactive: preempts lower priorities when it cannot be placed, and YuniKorn never preempts it, since a user is
 *   waiting on it;
 * - batch: never preempts (a scheduled job can wait for capacity), and YuniKorn may preempt it to give another
 *   queue back its guaranteed share.
 * Neither is the global default, so pods without a class keep priority 0.
 */
export class SparkPriorityClasses extends Construct {
  /** The resolved interactive priority. */
  public readonly interactiveValue: number;
  /** The resolved batch priority. */
  public readonly batchValue: number;

  constructor(scope: Construct, id: string, props: SparkPriorityClassesProps = {}) {
    super(scope, id);
    const interactiveValue = props.interactiveValue ?? SPARK_PRIORITY_DEFAULTS.interactiveValue;
    const batchValue = props.batchValue ?? SPARK_PRIORITY_DEFAULTS.batchValue;
    const problems = new Problems(this.node.path);
    const expected = `a whole number from 1 to ${HIGHEST_USER_PRIORITY} (higher values are reserved for system-* classes)`;
    for (const [key, value] of [
      ['interactiveValue', interactiveValue],
      ['batchValue', batchValue],
    ] as const) {
      problems.check(Number.isInteger(value) && value >= 1 && value <= HIGHEST_USER_PRIORITY, key, value, expected);
    }
    problems.check(
      interactiveValue > batchValue,
      'interactiveValue',
      interactiveValue,
      `more than batchValue (${batchValue})`,
    );
    problems.throwIfAny();
    this.interactiveValue = interactiveValue;
    this.batchValue = batchValue;

    new k8s.KubePriorityClass(this, 'Interactive', {
      metadata: { name: PRIORITY_CLASSES.interactive, annotations: { [ALLOW_PREEMPTION]: 'false' } },
      value: interactiveValue,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description:
        'Interactive Spark work (notebooks, ad-hoc queries): preempts lower priorities and is never preempted by YuniKorn.',
    });
    new k8s.KubePriorityClass(this, 'Batch', {
      metadata: { name: PRIORITY_CLASSES.batch, annotations: { [ALLOW_PREEMPTION]: 'true' } },
      value: batchValue,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description:
        "Batch Spark work (scheduled jobs): never preempts; YuniKorn may preempt it to restore another queue's guarantee.",
    });
  }
}
