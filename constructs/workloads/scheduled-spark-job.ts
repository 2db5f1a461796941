import { Construct } from 'constructs';
import {
  cronProblem,
  DEFAULT_RUN_TIMESTAMP_PRECISION,
  loadLocationError,
  Problems,
  RUN_TIMESTAMP_DIGITS,
  RunTimestampPrecision,
} from '../../config';
import { JobPlan } from '../../jobs/plan';
import { SCHEDULED_JOB_METRIC_LABEL, scheduledJobAnnotations } from '../conventions';
import { SparkDemand, SparkResources } from './resource-profiles';
import { addSparkJobObjects, prepareSparkApplication, SparkJobProps } from './spark-application';

/** What the operator does when a run is due while the previous one is still running. */
export type ConcurrencyPolicy = 'Forbid' | 'Replace' | 'Allow';

/** Defaults of {@link ScheduledSparkJob}. */
export const SCHEDULED_SPARK_JOB_DEFAULTS = {
  timeZone: 'UTC',
  concurrencyPolicy: 'Forbid' as ConcurrencyPolicy,
  successfulRunHistoryLimit: 3,
  failedRunHistoryLimit: 3,
  suspend: false,
  runTimestampPrecision: DEFAULT_RUN_TIMESTAMP_PRECISION,
} as const;

/** Props of {@link ScheduledSparkJob}: a {@link SparkJobProps} plus when to run. */
export interface ScheduledSparkJobProps extends SparkJobProps {
  /** When runs start: a five-field cron (minute hour day-of-month month day-of-week), in `timeZone`. */
  readonly schedule: string;
  /** How long a run is expected to take, in whole minutes; published for the schedule-conflict checks. */
  readonly expectedRuntimeMinutes: number;
  /**
   * IANA time zone of the schedule.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the last one still runs. Always rendered: when the field is empty the
   * operator starts no run after the first.
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Finished runs kept for inspection.
   * @default 3
   */
  readonly successfulRunHistoryLimit?: number;
  /**
   * Failed runs kept for inspection.
   * @default 3
   */
  readonly failedRunHistoryLimit?: number;
  /**
   * Stops starting new runs.
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * The run-name timestamp precision the Spark Operator is installed with (`services.sparkOperator.runTimestampPrecision`,
   * which sets the release's `controller.scheduledSparkApplicationTimestampPrecision`); the name must leave room for
   * `-<timestamp>` within 63 characters.
   * @default 'nanos' (the operator's default: names of at most 43 characters)
   */
  readonly runTimestampPrecision?: RunTimestampPrecision;
}

/**
 * A Spark job on a schedule: a ScheduledSparkApplication whose runs are the SparkApplication a {@link SparkJob} with
 * the same props would create, plus the ConfigMap carrying their plan. It always sets the concurrency policy, the
 * time zone and the history limits, and keeps its name short enough for the names of its runs.
 */
export class ScheduledSparkJob extends Construct {
  public readonly name: string;
  public readonly schedule: string;
  public readonly timeZone: string;
  public readonly concurrencyPolicy: ConcurrencyPolicy;
  public readonly expectedRuntimeMinutes: number;
  public readonly resources: SparkResources;
  public readonly peakDemand: SparkDemand;
  public readonly plan: JobPlan;

  constructor(scope: Construct, id: string, props: ScheduledSparkJobProps) {
    super(scope, id);
    const d = SCHEDULED_SPARK_JOB_DEFAULTS;
    this.name = props.name ?? id;
    this.schedule = props.schedule;
    this.timeZone = props.timeZone ?? d.timeZone;
    this.concurrencyPolicy = props.concurrencyPolicy ?? d.concurrencyPolicy;
    this.expectedRuntimeMinutes = props.expectedRuntimeMinutes;
    const successful = props.successfulRunHistoryLimit ?? d.successfulRunHistoryLimit;
    const failed = props.failedRunHistoryLimit ?? d.failedRunHistoryLimit;
    const precision = props.runTimestampPrecision ?? d.runTimestampPrecision;

    const problems = new Problems(this.node.path);
    const digits = Object.hasOwn(RUN_TIMESTAMP_DIGITS, precision) ? RUN_TIMESTAMP_DIGITS[precision] : undefined;
    problems.check(
      digits !== undefined,
      'runTimestampPrecision',
      precision,
      `one of ${Object.keys(RUN_TIMESTAMP_DIGITS).join(', ')}`,
    );
    const app = prepareSparkApplication(problems, this.name, 63 - 1 - (digits ?? RUN_TIMESTAMP_DIGITS.nanos), props);
    const cron = cronProblem(this.schedule);
    if (cron) problems.add('schedule', this.schedule, cron);
    // The operator loads the zone with Go's time.LoadLocation; `Local` and "" would depend on the controller pod.
    problems.check(
      !['', 'Local'].includes(this.timeZone) && loadLocationError(this.timeZone) === undefined,
      'timeZone',
      this.timeZone,
      'an IANA time zone such as UTC or Europe/London',
    );
    problems.check(
      ['Forbid', 'Replace', 'Allow'].includes(this.concurrencyPolicy),
      'concurrencyPolicy',
      this.concurrencyPolicy,
      'Forbid, Replace or Allow',
    );
    problems.check(
      Number.isInteger(successful) && successful >= 0,
      'successfulRunHistoryLimit',
      successful,
      'a whole number >= 0',
    );
    problems.check(Number.isInteger(failed) && failed >= 0, 'failedRunHistoryLimit', failed, 'a whole number >= 0');
    problems.check(
      Number.isInteger(props.expectedRuntimeMinutes) && props.expectedRuntimeMinutes >= 1,
      'expectedRuntimeMinutes',
      props.expectedRuntimeMinutes,
      'a whole number of minutes >= 1',
    );
    problems.throwIfAny();

    this.resources = app.resources;
    this.peakDemand = app.peakDemand;
    this.plan = app.plan;
    addSparkJobObjects(this, app, props.clickhouse, {
      kind: 'ScheduledSparkApplication',
      metadata: {
        ...app.metadata,
        // Copied by the operator to every run, and from there into the operator's metrics (see the convention).
        labels: { ...app.metadata.labels, [SCHEDULED_JOB_METRIC_LABEL.key]: this.name },
        annotations: scheduledJobAnnotations(app.plan, props.expectedRuntimeMinutes),
      },
      spec: {
        schedule: this.schedule,
        timeZone: this.timeZone,
        concurrencyPolicy: this.concurrencyPolicy,
        successfulRunHistoryLimit: successful,
        failedRunHistoryLimit: failed,
        suspend: props.suspend ?? d.suspend,
        template: app.spec,
      },
    });
  }
}
