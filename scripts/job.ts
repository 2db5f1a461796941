// npm run job -- list
// npm run job -- render <template> --env <env> --tenant <tenant> [--set key=value ...] [--name <name>]
//                       [--schedule "<cron>" [--expected-runtime <minutes>]] [--out <dir>]
// Writes <out>/<env>/<name>.k8s.yaml: the job's plan ConfigMap and its SparkApplication (or ScheduledSparkApplication),
// validated with the environment's own objects, for `kubectl create -f`.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Yaml } from 'cdk8s';
import { ConfigError, DataPlaneError, loadEnvironment } from '../config';
import { formatTemplateList, renderEnvironment, renderTemplateJob } from '../stacks/k8s';
import { formatFinding, validateObjects } from '../validation';
import { runCli } from './cli';

const USAGE = [
  'usage: npm run job -- list',
  '       npm run job -- render <template> --env <env> --tenant <tenant> [--set key=value ...] [--name <name>]',
  '                     [--schedule "<cron>" [--expected-runtime <minutes>]] [--out <dir>]',
].join('\n');

/** The chart name the job's objects are validated and written under. */
const JOB_GROUP = 'job';

/** Runs the command with `argv` (without node and the script); returns what it prints. */
export function runJob(argv: readonly string[]): string {
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
  const out = values.out!;
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    problems.push(`'--out' is ${JSON.stringify(out)}, a file; expected a folder`);
  if (problems.length > 0) throw new ConfigError('job', problems);

  const env = loadEnvironment(values.env!);
  const job = renderTemplateJob(env, {
    template: template!,
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

  const file = path.join(out, env.name, `${job.name}.k8s.yaml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Yaml.stringify(...job.objects));
  return `wrote ${file} (${job.kind} ${env.name}/${values.tenant}/${job.name}); apply it with kubectl create -f ${file}`;
}

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
      out: { type: 'string', default: path.join('dist', 'jobs') },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

if (require.main === module) runCli(() => console.log(runJob(process.argv.slice(2))));
