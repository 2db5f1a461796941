// npm run report [-- --env dev] [--out dist]: writes <out>/<env>/report.html from the objects synth renders, and
// prints the summary.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { DEFAULT_ENVIRONMENT, loadEnvironment } from '../config';
import { renderEnvironment } from '../stacks/k8s';
import { buildReport, releaseServices, renderHtml, summaryText } from '../stacks/report';
import { runCli } from './cli';

runCli(() => {
  const { values } = parseArgs({
    options: { env: { type: 'string', default: DEFAULT_ENVIRONMENT }, out: { type: 'string', default: 'dist' } },
  });
  const env = loadEnvironment(values.env!);
  const report = buildReport(env, renderEnvironment(env), { helmServices: releaseServices(env) });
  const file = path.join(values.out!, env.name, 'report.html');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderHtml(report));
  console.log(summaryText(report));
  console.log(`wrote ${file}`);
});
