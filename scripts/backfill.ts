// npm run backfill -- --env dev --table raw_trades --from 2026-08-01T00:00Z --to 2026-08-02T00:00Z [--profile large-scale] [--out dist/backfills]
// Writes <out>/<env>/<name>.k8s.yaml: a SparkApplication (and its plan ConfigMap) replacing that window of the table.
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import {
  BACKFILLS_DIR,
  ConfigError,
  environmentNames,
  isEnvironmentName,
  loadEnvironment,
  manifestFileName,
} from '../config';
import { addBackfill, RESOURCE_PROFILES, ResourceProfileName } from '../constructs/workloads';
import { commonLabels } from '../stacks/k8s';
import { parseCommand, runCli } from './cli';

const COMMAND = {
  name: 'npm run backfill',
  summary:
    'Writes <out>/<env>/backfill-<table>-<from>-<to>.k8s.yaml: a SparkApplication replacing those whole hours of an offloaded table with ClickHouse rows.',
  flags: {
    env: { type: 'string', required: true, value: '<env>', description: 'environment' },
    table: { type: 'string', required: true, value: '<table>', description: 'offloaded Iceberg table' },
    from: { type: 'string', required: true, value: '<instant>', description: 'first hour, e.g. 2026-08-01T00:00Z' },
    to: {
      type: 'string',
      required: true,
      value: '<instant>',
      description: 'end of the window (exclusive), on a whole hour',
    },
    profile: {
      type: 'string',
      value: '<profile>',
      description: `resource profile (${Object.keys(RESOURCE_PROFILES).join(', ')})`,
    },
    out: {
      type: 'string',
      default: path.join('dist', BACKFILLS_DIR),
      value: '<dir>',
      directory: 'output',
      description: 'output folder',
    },
  },
} as const;

/** Runs the command with `argv` (without node and the script); returns the file written (none after `--help`). */
export function runBackfill(argv: readonly string[], now?: Date): string | undefined {
  const values = parseCommand(COMMAND, argv);
  if (!values) return undefined;
  const problems: string[] = [];
  if (values.env && !isEnvironmentName(values.env))
    problems.push(
      `'--env' ${JSON.stringify(values.env)} is not an environment; expected one of ${environmentNames().join(', ')}`,
    );
  if (values.profile && !(values.profile in RESOURCE_PROFILES)) {
    problems.push(
      `'--profile' ${JSON.stringify(values.profile)} is not a profile; expected one of ${Object.keys(RESOURCE_PROFILES).join(', ')}`,
    );
  }
  if (problems.length > 0) throw new ConfigError('backfill', problems);

  const env = loadEnvironment(values.env);
  const chart = new Chart(new App(), 'backfill', { disableResourceNameHashes: true, labels: commonLabels(env) });
  const job = addBackfill(chart, env, {
    table: values.table,
    from: values.from,
    to: values.to,
    profile: values.profile as ResourceProfileName | undefined,
    now,
  });
  const file = path.join(values.out, env.name, manifestFileName(job.name));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Yaml.stringify(...chart.toJson()));
  return file;
}

if (require.main === module)
  runCli(() => {
    const file = runBackfill(process.argv.slice(2));
    if (file) console.log(`wrote ${file}`);
  });
