import { Chart, Testing } from 'cdk8s';
import { SparkJobProps } from '../../constructs/workloads';

/** Props every job needs; tests spread their own on top. */
export const BASE: Omit<SparkJobProps, 'steps'> & Pick<SparkJobProps, 'steps'> = {
  tenant: 'trading',
  image: 'ghcr.io/acme/dataplane-jobs:0.1.0',
  steps: [{ type: 'rewrite-manifests', table: 'polaris.trading.raw_trades' }],
  catalog: { warehouse: 'lake', realm: 'POLARIS' },
  eventLogBucket: 'acme-dataplane-dev-spark-events',
};

/** Builds into a fresh chart and returns the synthesized objects. */
export function synth(build: (chart: Chart) => void): any[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart);
}

/** The only object of `kind` among `objects`. */
export function only(objects: any[], kind: string): any {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

/** The ADR's trading data set, layer by layer in dependency order. */
export const ADR_LAYERS = [
  'raw_trades',
  'bronze_trades',
  'silver_trades',
  'gold_ohlcv_1m',
  'gold_ohlcv_5m',
  'gold_ohlcv_15m',
  'gold_ohlcv_30m',
  'gold_ohlcv_1h',
  'gold_ohlcv_1d',
];
