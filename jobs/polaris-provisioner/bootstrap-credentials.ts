// First init container of the Polaris provisioning Job: writes the realm's root credentials, read from the
// environment (Secret-backed variables), to the file the admin tool's `bootstrap -f` reads, so they never appear in a
// container's arguments. The file is JSON in the shape of Polaris' `RootCredentialsSet` (realm -> client-id/secret).
import * as fs from 'fs';

/** Environment variables of the container. */
export const BOOTSTRAP_ENVIRONMENT = {
  realm: 'BOOTSTRAP_REALM',
  clientId: 'POLARIS_CLIENT_ID',
  clientSecret: 'POLARIS_CLIENT_SECRET',
  file: 'BOOTSTRAP_FILE',
} as const;

/** Writes the credentials file (owner read-write, group read: the admin tool reads it through the pod's fsGroup). */
export function writeBootstrapCredentials(env: NodeJS.ProcessEnv = process.env): string {
  const missing = Object.values(BOOTSTRAP_ENVIRONMENT).filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`environment variables not set: ${missing.join(', ')}`);
  const file = env[BOOTSTRAP_ENVIRONMENT.file]!;
  const credentials = {
    [env[BOOTSTRAP_ENVIRONMENT.realm]!]: {
      'client-id': env[BOOTSTRAP_ENVIRONMENT.clientId],
      'client-secret': env[BOOTSTRAP_ENVIRONMENT.clientSecret],
    },
  };
  fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o640 });
  return file;
}

if (require.main === module) {
  try {
    process.stdout.write(`wrote ${writeBootstrapCredentials()}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
