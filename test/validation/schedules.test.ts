import { container, findingLines, object, sparkApplicationSpec } from './helpers';

const FILE = 'test/objects.k8s.yaml';

const cronJob = (spec: object) =>
  object('batch/v1', 'CronJob', 'nightly', {
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } },
      ...spec,
    },
  });

const scheduledSpark = (spec: object) =>
  object('sparkoperator.k8s.io/v1beta2', 'ScheduledSparkApplication', 'hourly', {
    spec: {
      schedule: '@hourly',
      concurrencyPolicy: 'Forbid',
      template: sparkApplicationSpec(),
      ...spec,
    },
  });

describe('CronJob schedules and time zones', () => {
  test('descriptors, @every and dates that never come are accepted', () => {
    expect(findingLines(cronJob({ schedule: '@every 5m' }))).toEqual([]);
    expect(findingLines(cronJob({ schedule: '0 0 31 2 *', timeZone: 'America/New_York' }))).toEqual([]);
  });

  test('day of week 7 is out of range', () => {
    expect(findingLines(cronJob({ schedule: '* * * * 7' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.schedule: invalid value "* * * * 7": end of range (7) above maximum (6): 7`,
    ]);
  });

  test('Quartz extensions (L, W, #) are rejected', () => {
    expect(findingLines(cronJob({ schedule: '0 0 L * *' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.schedule: invalid value "0 0 L * *": failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax`,
    ]);
  });

  test('TZ= and CRON_TZ= in the schedule are rejected in favour of timeZone', () => {
    expect(findingLines(cronJob({ schedule: 'CRON_TZ=UTC 0 2 * * *' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.schedule: invalid value "CRON_TZ=UTC 0 2 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`,
    ]);
  });

  test('timeZone must be an IANA zone, spelled exactly', () => {
    expect(findingLines(cronJob({ timeZone: 'Mars/Olympus_Mons' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.timeZone: invalid value "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons`,
    ]);
    expect(findingLines(cronJob({ timeZone: 'europe/berlin' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.timeZone: invalid value "europe/berlin": unknown time zone europe/berlin`,
    ]);
  });

  test('timeZone may not be Local or empty', () => {
    expect(findingLines(cronJob({ timeZone: 'Local' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.timeZone: invalid value "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`,
    ]);
    expect(findingLines(cronJob({ timeZone: '' }))).toEqual([
      `${FILE}: CronJob default/nightly: spec.timeZone: invalid value "": timeZone must be nil or non-empty string`,
    ]);
  });

  test('names may have at most 52 characters', () => {
    const name = 'iceberg-maintenance-expire-snapshots-and-orphan-file';
    expect(findingLines({ ...cronJob({}), metadata: { name, namespace: 'default' } })).toEqual([]);
    expect(findingLines({ ...cronJob({}), metadata: { name: `${name}s`, namespace: 'default' } })).toEqual([
      `${FILE}: CronJob default/${name}s: metadata.name: invalid value "${name}s": must be no more than 52 characters (is 53)`,
    ]);
  });

  test('jobs run with restartPolicy OnFailure or Never; unset means Always', () => {
    const job = cronJob({ jobTemplate: { spec: { template: { spec: { containers: [container()] } } } } });
    expect(findingLines(job)).toEqual([
      `${FILE}: CronJob default/nightly: spec.jobTemplate.spec.template.spec.restartPolicy: ` +
        'unsupported value "Always" (the default when unset); supported values: "OnFailure", "Never"',
    ]);
  });

  test('the job template may not carry a selector', () => {
    const job = cronJob({
      jobTemplate: {
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template: { spec: { restartPolicy: 'Never', containers: [container()] } },
        },
      },
    });
    expect(findingLines(job)).toEqual([
      `${FILE}: CronJob default/nightly: spec.jobTemplate.spec.selector: must not be set: the selector of a CronJob's jobs is generated`,
    ]);
  });
});

describe('ScheduledSparkApplication schedules and time zones (the Spark Operator)', () => {
  test('@every and Local are accepted, as the operator accepts them', () => {
    expect(findingLines(scheduledSpark({ schedule: '@every 30m', timeZone: 'Local' }))).toEqual([]);
  });

  test('the schedule is parsed like a CronJob schedule', () => {
    expect(findingLines(scheduledSpark({ schedule: '0 0 * * * *' }))).toEqual([
      `${FILE}: ScheduledSparkApplication default/hourly: spec.schedule: invalid value "0 0 * * * *": expected exactly 5 fields, found 6: [0 0 * * * *]`,
    ]);
  });

  test('timeZone must load', () => {
    expect(findingLines(scheduledSpark({ timeZone: 'Europe/Atlantis' }))).toEqual([
      `${FILE}: ScheduledSparkApplication default/hourly: spec.timeZone: invalid value "Europe/Atlantis": unknown time zone Europe/Atlantis`,
    ]);
  });
});
