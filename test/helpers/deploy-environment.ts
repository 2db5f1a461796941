import { EnvironmentConfig } from '../../config';

/**
 * Both Pulumi projects of one environment in one mocked engine: the infrastructure program, then the platform program
 * fed with the infrastructure outputs directly (what its StackReference would read). Import after the mocks exist.
 */
export async function deployBothProjects(env: EnvironmentConfig) {
  const program = await import('../../stacks/pulumi/program');
  const infrastructure = program.deployInfrastructure(env);
  const platform = program.deployPlatform(env, infrastructure.outputs);
  return { ...infrastructure, platform };
}
