// npm run backfill -- --env dev --table raw_trades --from 2026-08-01T00:00Z --to 2026-08-02T00:00Z [--profile large-scale] [--out dist/backfills]
// Writes <out>/<env>/<name>.k8s.yaml: a SparkApplication (and its plan ConfigMap) replacing that window of the table.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { App, Chart, Yaml } from 'cdk8s';
import { ConfigError, environmentNames, isEnvironmentName, loadEnvironment } from '../config';
import { addBackfill, RESOURCE_PROFILES, ResourceProfileName } from '../constructs/workloads';
import { commonLabels } from '../stacks/k8s';
import { runCli } from './cli';

const USAGE =
  'usage: npm run backfill -- --env <env> --table <table> --from <instant> --to <instant> [--profile <profile>] [--out <dir>]';

/** Runs the command with `argv` (without node and the script); returns the file written. */
export function runBackfill(argv: readonly string[], now?: Date): string {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string' },
        table: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        profile: { type: 'string' },
        out: { type: 'string', default: path.join('dist', 'backfills') },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError('backfill', [`${(error as Error).message}; ${USAGE}`]);
  }
  const problems = (['env', 'table', 'from', 'to'] as const)
    .filter((flag) => !values[flag])
    .map((flag) => `'--${flag}' is missing; ${USAGE}`);
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

  const env = loadEnvironment(values.env!);
  const chart = new Chart(new App(), 'backfill', { disableResourceNameHashes: true, labels: commonLabels(env) });
  const job = addBackfill(chart, env, {
    table: values.table!,
    from: values.from!,
    to: values.to!,
    profile: values.profile as ResourceProfileName | undefined,
    now,
  });
  const file = path.join(values.out!, env.name, `${job.name}.k8s.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Yaml.stringify(...chart.toJson()));
  return file;
}

if (require.main === module) runCli(() => console.log(`wrote ${runBackfill(process.argv.slice(2))}`));
