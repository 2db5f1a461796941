import { Chart, Testing } from 'cdk8s';
import { SparkPriorityClasses } from '../../constructs/tenancy';

describe('SparkPriorityClasses', () => {
  let objects: any[];
  beforeAll(() => {
    const chart = Testing.chart();
    new SparkPriorityClasses(chart, 'Priorities');
    objects = Testing.synth(chart);
  });

  test('interactive preempts and is never preempted by YuniKorn', () => {
    const interactive = objects.find((o) => o.metadata.name === 'spark-interactive');
    expect(interactive).toMatchObject({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      value: 10000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(interactive.metadata.annotations).toEqual({ 'yunikorn.apache.org/allow-preemption': 'false' });
    expect(interactive.description).toMatch(/Interactive/);
  });

  test('batch never preempts and may be preempted', () => {
    const batch = objects.find((o) => o.metadata.name === 'spark-batch');
    expect(batch).toMatchObject({
      kind: 'PriorityClass',
      value: 1000,
      globalDefault: false,
      preemptionPolicy: 'Never',
    });
    expect(batch.metadata.annotations).toEqual({ 'yunikorn.apache.org/allow-preemption': 'true' });
    expect(batch.description).toMatch(/Batch/);
  });

  test('values can be chosen', () => {
    const chart = Testing.chart();
    const classes = new SparkPriorityClasses(chart, 'P', { interactiveValue: 500, batchValue: 100 });
    expect(Testing.synth(chart).map((o) => o.value)).toEqual([500, 100]);
    expect([classes.interactiveValue, classes.batchValue]).toEqual([500, 100]);
  });

  describe('rejects', () => {
    const attempt = (props: object) => () => new SparkPriorityClasses(new Chart(Testing.app(), 'c'), 'P', props);
    test('values reserved for system classes', () => {
      expect(attempt({ interactiveValue: 2_000_000_000 })).toThrow(
        /'interactiveValue' is 2000000000; expected a whole number from 1 to 1000000000/,
      );
    });
    test('a fractional value', () => {
      expect(attempt({ batchValue: 1.5 })).toThrow(/'batchValue' is 1.5; expected a whole number/);
    });
    test('batch not below interactive', () => {
      expect(attempt({ interactiveValue: 100, batchValue: 100 })).toThrow(
        /'interactiveValue' is 100; expected more than batchValue \(100\)/,
      );
    });
  });
});
