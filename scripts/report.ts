// npm run report [-- --env dev] [--out dist]: writes <out>/<env>/report.html from the objects synth renders, and
// prints the summary.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_ENVIRONMENT, loadEnvironment } from '../config';
import { renderEnvironment } from '../stacks/k8s';
import { buildReport, releaseServices, renderHtml, summaryText } from '../stacks/report';
import { parseCommand, runCli } from './cli';

const COMMAND = {
  name: 'npm run report',
  summary: 'Writes <out>/<env>/report.html (timelines, usage, commitments, versions) and prints its summary.',
  flags: {
    env: { type: 'string', default: DEFAULT_ENVIRONMENT, value: '<env>', description: 'environment to report on' },
    out: { type: 'string', default: 'dist', value: '<dir>', directory: 'output', description: 'output folder' },
  },
} as const;

runCli(() => {
  const args = parseCommand(COMMAND);
  if (!args) return;
  const env = loadEnvironment(args.env);
  const report = buildReport(env, renderEnvironment(env), { helmServices: releaseServices(env) });
  const file = path.join(args.out, env.name, 'report.html');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderHtml(report));
  console.log(summaryText(report));
  console.log(`wrote ${file}`);
});
