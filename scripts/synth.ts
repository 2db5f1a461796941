// npm run synth [-- --env dev[,staging]] [--out dist]: writes dist/<env>/*.k8s.yaml. Nothing is written unless every
// selected environment loads and builds.
import { environmentNames } from '../config';
import { renderEnvironments, writeEnvironment } from '../stacks/k8s';
import { elapsedMs, parseCommand, runCli } from './cli';

const COMMAND = {
  name: 'npm run synth',
  summary:
    'Writes <out>/<env>/*.k8s.yaml for every environment, or the selected ones; nothing is written unless every one is valid.',
  flags: {
    env: {
      type: 'string',
      multiple: true,
      value: '<env>[,<env>]',
      description: 'environments to synthesize (default: all)',
    },
    out: { type: 'string', default: 'dist', value: '<dir>', directory: 'output', description: 'output folder' },
  },
} as const;

runCli(() => {
  const started = process.hrtime.bigint();
  const args = parseCommand(COMMAND);
  if (!args) return;
  const names = args.env ?? environmentNames();

  const rendered = renderEnvironments(names);
  for (const { env, charts } of rendered) {
    const files = writeEnvironment(args.out, env.name, charts);
    const objects = charts.reduce((n, c) => n + c.objects.length, 0);
    console.log(`${env.name}: ${objects} objects in ${files.length} files under ${args.out}/${env.name}/`);
  }
  console.log(`synthesized ${rendered.length} environment(s) in ${elapsedMs(started)} ms`);
});
