// Entry point of the Polaris provisioning Job: reads the plan mounted from the ConfigMap, and the root credentials and
// catalog storage access (role, external ID, KMS key) from the environment, then provisions. Exits non-zero on any failure so the Job retries the pod.
import * as fs from 'fs';
import { KubernetesClient, SERVICE_ACCOUNT_DIR } from './kubernetes-client';
import { parsePlan } from './plan';
import { PolarisClient } from './polaris-client';
import { provision, ProvisionReport } from './provision';

/** Environment variables the Job sets. */
export const ENVIRONMENT = {
  planFile: 'PLAN_FILE',
  clientId: 'POLARIS_CLIENT_ID',
  clientSecret: 'POLARIS_CLIENT_SECRET',
  catalogRoleArn: 'CATALOG_ROLE_ARN',
  catalogExternalId: 'CATALOG_EXTERNAL_ID',
  catalogKmsKeyArn: 'CATALOG_KMS_KEY_ARN',
} as const;

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function log(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

/** Runs one provisioning pass against the in-cluster Kubernetes API (service account mounted at `serviceAccountDir`). */
export async function main(
  env: NodeJS.ProcessEnv = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): Promise<ProvisionReport> {
  const plan = parsePlan(fs.readFileSync(required(env, ENVIRONMENT.planFile), 'utf8'));
  const polaris = new PolarisClient({ baseUrl: plan.polarisUrl, realm: plan.realm });
  // Polaris is ready when its release is, but a restart of the server must not fail the whole Job at once.
  await polaris.connect(
    { clientId: required(env, ENVIRONMENT.clientId), clientSecret: required(env, ENVIRONMENT.clientSecret) },
    { attempts: 30, delayMs: 5_000 },
  );
  const catalogStorage = {
    roleArn: required(env, ENVIRONMENT.catalogRoleArn),
    externalId: required(env, ENVIRONMENT.catalogExternalId),
    kmsKeyArn: required(env, ENVIRONMENT.catalogKmsKeyArn),
  };
  return provision(plan, {
    polaris,
    kubernetes: KubernetesClient.inCluster(env, serviceAccountDir),
    catalogStorage,
    log,
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    log('provisioning failed', { error: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
  });
}
