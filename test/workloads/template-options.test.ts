import { checkParameterValues, JOB_TEMPLATE_CATALOG } from '../../constructs/workloads';

const problemsOf = (template: string, values: Record<string, unknown>) => {
  const problems: string[] = [];
  checkParameterValues(JOB_TEMPLATE_CATALOG[template].params, values, 'p.', problems);
  return problems;
};

describe('checkParameterValues (the environment file’s template parameters)', () => {
  test('accepts well-typed parameters with every required one', () => {
    expect(problemsOf('iceberg-compact', { tables: ['trading.raw_trades'], skipRecentHours: 4 })).toEqual([]);
  });

  test('reports every missing, unknown and ill-typed parameter at once, nested ones by their key path', () => {
    expect(
      problemsOf('offload-audit', {
        layers: [{ layer: 'raw', clickhouseTable: 'trading.raw', icebergTable: 'trading.raw', final: 'no' }, 'x'],
        lookback: 7,
        clickhouse: {},
        colour: 'red',
      }),
    ).toEqual([
      expect.stringMatching(/^'p\.layers' is \[.*; expected a list of mappings of fields$/),
      `'p.lookback' is 7; expected a non-empty string`,
      `'p.clickhouse' is not a parameter here (it comes from the environment file); expected one of layers, resultTable, lookback, skipRecentHours, eventTimeColumn`,
      `'p.colour' is not a parameter here; expected one of layers, resultTable, lookback, skipRecentHours, eventTimeColumn`,
      expect.stringMatching(/^'p\.resultTable' is missing; expected a value/),
      expect.stringMatching(/^'p\.skipRecentHours' is missing; expected a value/),
    ]);
    expect(
      problemsOf('offload-audit', {
        layers: [{ layer: 'raw', clickhouseTable: 'trading.raw', final: 'no' }],
        resultTable: 'trading.audit',
        lookback: '7d',
        skipRecentHours: 3,
      }),
    ).toEqual([
      `'p.layers[0].final' is "no"; expected true or false`,
      expect.stringMatching(/^'p\.layers\[0\]\.icebergTable' is missing; expected a value/),
    ]);
  });
});
