// npm run synth [-- --env dev[,staging]] [--out dist]: writes dist/<env>/*.k8s.yaml. Nothing is written unless every
// selected environment loads and builds.
import { parseArgs } from 'util';
import { ConfigError, environmentNames, loadEnvironment } from '../config';
import { renderEnvironment, writeEnvironment } from '../stacks/k8s';
import { runCli } from './cli';

runCli(() => {
  const started = process.hrtime.bigint();
  const { values } = parseArgs({
    options: { env: { type: 'string', multiple: true }, out: { type: 'string', default: 'dist' } },
  });
  const names = values.env ? values.env.flatMap((v) => v.split(',')).filter(Boolean) : environmentNames();

  const loaded = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      loaded.push(loadEnvironment(name));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(...error.problems);
    }
  }
  if (errors.length > 0) throw new ConfigError('configuration', errors);

  const rendered = loaded.map((env) => ({ env, charts: renderEnvironment(env) }));
  for (const { env, charts } of rendered) {
    const files = writeEnvironment(values.out!, env.name, charts);
    const objects = charts.reduce((n, c) => n + c.objects.length, 0);
    console.log(`${env.name}: ${objects} objects in ${files.length} files under ${values.out}/${env.name}/`);
  }
  console.log(`synthesized ${rendered.length} environment(s) in ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
});
