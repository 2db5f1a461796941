// npm run job -- list
// npm run job -- render <template> --env <env> --tenant <tenant> [--set key=value ...] [--name <name>]
//                       [--schedule "<cron>" [--expected-runtime <minutes>]] [--out <dir> | --local]
// Writes <out>/<env>/<name>.k8s.yaml: the job's plan ConfigMap and its SparkApplication (or ScheduledSparkApplication),
// validated with the environment's own objects, for `kubectl create -f`; with --local, runs that job on the local data
// plane (scripts/local) instead of writing it.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Yaml } from 'cdk8s';
import { ConfigError, DataPlaneError, loadEnvironment } from '../config';
import { formatTemplateList, renderEnvironment, renderTemplateJob } from '../stacks/k8s';
import { formatFinding, validateObjects } from '../validation';
import { runCli } from './cli';
import { PlaneError, startPlane } from './local/plane';
import { assertRunnableOnPlane, sparkLaunches, submitOnPlane } from './local/run-job';

const USAGE = [
  'usage: npm run job -- list',
  '       npm run job -- render <template> --env <env> --tenant <tenant> [--set key=value ...] [--name <name>]',
  '                     [--schedule "<cron>" [--expected-runtime <minutes>]] [--out <dir> | --local]',
].join('\n');

/** The chart name the job's objects are validated and written under. */
const JOB_GROUP = 'job';

/** Runs the command with `argv` (without node and the script); returns what it prints. */
export function runJob(argv: readonly string[]): string {
  const request = renderRequest(argv);
  if (typeof request === 'string') return request;
  const { env, job, out } = request;
  const file = path.join(out, env.name, `${job.name}.k8s.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Yaml.stringify(...job.objects));
  return `wrote ${file} (${job.kind} ${env.name}/${job.tenant}/${job.name}); apply it with kubectl create -f ${file}`;
}

/**
 * `render … --local`: the same validated job, run on the local data plane (started if needed) the way the operator
 * launches it; returns spark-submit's exit status. A job that reads ClickHouse is refused: the plane has none.
 */
export async function runJobLocally(argv: readonly string[], log: (line: string) => void): Promise<number> {
  const request = renderRequest(argv);
  if (typeof request === 'string') {
    log(request);
    return 0;
  }
  const [launch] = sparkLaunches(request.job.objects);
  let result: ReturnType<typeof submitOnPlane>;
  try {
    assertRunnableOnPlane(launch);
    const plane = await startPlane(log);
    log(`running ${launch.name} on the local plane (${launch.plan.steps.length} steps)`);
    result = submitOnPlane(plane, launch);
  } catch (error) {
    // One line, like every other bad input of the command.
    if (error instanceof PlaneError) throw new DataPlaneError(`job ${launch.name}`, [error.message]);
    throw error;
  }
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  return result.status ?? 1;
}

/** Parses and checks the command line and renders the job (or returns the text `list`/`--help` print). */
function renderRequest(argv: readonly string[]) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // Node's message goes on about positionals after `--`; its first sentence says what is wrong.
    throw new ConfigError('job', [`${(error as Error).message.split('. ')[0]}; see --help`]);
  }
  const { values, positionals } = parsed;
  if (values.help) return USAGE;
  const [command, template, ...extra] = positionals;
  if (command === 'list' && template === undefined) return formatTemplateList();
  if (command !== 'render') {
    throw new ConfigError('job', [`'${command ?? ''}' is not a command; expected list or render\n${USAGE}`]);
  }
  const problems: string[] = [];
  if (template === undefined) problems.push(`the template is missing; expected one of \`npm run job -- list\``);
  if (extra.length > 0) problems.push(`'${extra.join(' ')}' is unexpected; expected one template name`);
  for (const flag of ['env', 'tenant'] as const) if (!values[flag]) problems.push(`'--${flag}' is missing`);
  const runtime = values['expected-runtime'];
  if (runtime !== undefined && !/^[1-9]\d*$/.test(runtime))
    problems.push(`'--expected-runtime' is ${JSON.stringify(runtime)}; expected a whole number of minutes >= 1`);
  if (runtime !== undefined && values.schedule === undefined)
    problems.push(`'--expected-runtime' needs --schedule; a job that runs once has no schedule to keep clear`);
  const out = values.out ?? DEFAULT_OUT;
  if (values.local && values.out !== undefined)
    problems.push(`'--out' and '--local' exclude each other; --local runs the job instead of writing it`);
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    problems.push(`'--out' is ${JSON.stringify(out)}, a file; expected a folder`);
  if (problems.length > 0) throw new ConfigError('job', problems);

  const env = loadEnvironment(values.env!);
  const job = renderTemplateJob(env, {
    template: template,
    tenant: values.tenant!,
    set: values.set ?? [],
    name: values.name,
    schedule: values.schedule,
    expectedRuntimeMinutes: runtime === undefined ? undefined : Number(runtime),
  });
  // Checked together with the environment, so references to the tenant's objects and name clashes are seen.
  const report = validateObjects([...renderEnvironment(env), { name: JOB_GROUP, objects: job.objects }], env.name);
  const mine = report.findings.filter((f) => f.file === path.join(env.name, `${JOB_GROUP}.k8s.yaml`));
  if (mine.length > 0) throw new DataPlaneError(`job ${job.name}`, mine.map(formatFinding));
  return { env, job: { ...job, tenant: values.tenant! }, out };
}

const DEFAULT_OUT = path.join('dist', 'jobs');

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      env: { type: 'string' },
      tenant: { type: 'string' },
      set: { type: 'string', multiple: true },
      name: { type: 'string' },
      schedule: { type: 'string' },
      'expected-runtime': { type: 'string' },
      out: { type: 'string' },
      local: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

if (require.main === module)
  runCli(async () => {
    const argv = process.argv.slice(2);
    if (!argv.includes('--local')) return console.log(runJob(argv));
    process.exitCode = await runJobLocally(argv, (line) => process.stdout.write(`local: ${line}\n`));
  });
