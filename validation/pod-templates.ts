import { FieldPath } from './field-path';
import { asObject, JsonObject, valueAt } from './object-access';

/** Where a kind embeds pod templates (objects with `metadata` and a pod `spec`). */
const WORKLOAD_TEMPLATES: Readonly<Record<string, readonly FieldPath[]>> = {
  Pod: [[]],
  PodTemplate: [['template']],
  Deployment: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template']],
};

/**
 * Spark Operator pod templates: the CRD preserves them unchecked, and the operator turns them into real driver and
 * executor pods, so they must be valid PodTemplateSpecs (apart from what the operator fills in).
 */
const SPARK_TEMPLATES: Readonly<Record<string, readonly FieldPath[]>> = {
  SparkApplication: [
    ['spec', 'driver', 'template'],
    ['spec', 'executor', 'template'],
  ],
  ScheduledSparkApplication: [
    ['spec', 'template', 'driver', 'template'],
    ['spec', 'template', 'executor', 'template'],
  ],
  SparkConnect: [
    ['spec', 'server', 'template'],
    ['spec', 'executor', 'template'],
  ],
};

export interface PodTemplate {
  /** Where the template sits in its object; empty for a Pod, which is its own template. */
  readonly path: FieldPath;
  readonly template: JsonObject;
  /**
   * A Spark Operator template: a partial pod the operator completes. It may omit the containers (Spark adds its own)
   * and its restart policy is the operator's business.
   */
  readonly sparkOperator: boolean;
}

/** The pod templates present in `object`. */
export function podTemplates(object: JsonObject): PodTemplate[] {
  const kind = object.kind as string;
  const found: PodTemplate[] = [];
  for (const [table, sparkOperator] of [
    [WORKLOAD_TEMPLATES, false],
    [SPARK_TEMPLATES, true],
  ] as const) {
    for (const path of Object.hasOwn(table, kind) ? table[kind] : []) {
      const template = asObject(valueAt(object, path));
      if (template) found.push({ path, template, sparkOperator });
    }
  }
  return found;
}
