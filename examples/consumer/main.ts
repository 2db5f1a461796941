// A team's own data plane: the package's constructs over the team's environment file, plus one job of its own built
// from a template. `npm run build && npm run synth` writes dist/<env>/*.k8s.yaml.
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import {
  buildDataPlane,
  environmentCatalog,
  icebergCompact,
  loadEnvironment,
  SparkJob,
} from '@dataplane/spark-iceberg';
import * as fs from 'fs';

const env = loadEnvironment(process.argv[2] ?? 'dev', { dir: path.join(__dirname, '..', 'environments') });
const app = new App();
const charts = buildDataPlane(app, env);

// A one-off compaction of the team's largest table, in its own chart so it can be applied on its own.
const adhoc = new Chart(app, 'adhoc', { disableResourceNameHashes: true });
const [tenant] = env.tenants;
new SparkJob(adhoc, 'compact-trades', {
  ...icebergCompact({ tables: [`${tenant.name}.raw_trades`], targetFileSize: '256Mi' }),
  tenant: tenant.name,
  image: env.jobs.image,
  catalog: environmentCatalog(env),
  eventLogBucket: env.storage.eventLogBucket,
});

const out = path.join(__dirname, '..', 'dist', env.name);
fs.mkdirSync(out, { recursive: true });
for (const [name, chart] of [...Object.entries(charts), ['adhoc', adhoc] as const])
  fs.writeFileSync(path.join(out, `${name}.k8s.yaml`), Yaml.stringify(...chart.toJson()));
console.log(`wrote ${Object.keys(charts).length + 1} files under ${out}`);
