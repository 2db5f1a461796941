// Entry point for `cdk8s synth` (cdk8s.yaml): writes every environment, or the one in DATAPLANE_ENV, to the CLI's output folder.
import { environmentNames, loadEnvironment } from '../config';
import { renderEnvironment, writeEnvironment } from '../stacks/k8s';
import { runCli } from './cli';

runCli(() => {
  const names = process.env.DATAPLANE_ENV ? [process.env.DATAPLANE_ENV] : environmentNames();
  const rendered = names.map((name) => ({ name, charts: renderEnvironment(loadEnvironment(name)) }));
  for (const { name, charts } of rendered) writeEnvironment(process.env.CDK8S_OUTDIR ?? 'dist', name, charts);
});
