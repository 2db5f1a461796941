// A team's own data plane: the package's constructs over the team's environment file, a tenant and a scheduled job
// added from TypeScript (checked and wired exactly like ones in the file), and one job of its own built from a
// template. `npm run build && npm run synth` writes dist/<env>/*.k8s.yaml.
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import {
  CHART_ORDER,
  DataPlane,
  environmentCatalog,
  icebergCompact,
  loadEnvironment,
  SparkJob,
} from '@dataplane/spark-iceberg';
import * as fs from 'fs';

const env = loadEnvironment(process.argv[2] ?? 'dev', { dir: path.join(__dirname, '..', 'environments') });
const app = new App();
const plane = new DataPlane(app, env.name, { environment: env });

// The team's risk desk: its namespace, quota, YuniKorn leaf queue, Polaris principal, grants and credentials Secret
// come with it; a budget given in plain numbers is accepted as in the file.
plane.addTenant({
  name: 'risk',
  owner: 'risk-desk',
  budget: { cpu: 4, memory: '16Gi', pods: 20 },
  catalogAccess: { write: ['risk'], read: ['markets'] },
});
// Nightly compaction of the desk's positions, checked against its quota and the offload's schedule.
plane.addScheduledJob({
  name: 'risk-positions-compact',
  template: 'iceberg-compact',
  tenant: 'risk',
  schedule: '30 4 * * *',
  parameters: { tables: ['risk.positions'] },
});

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
const files: [string, Chart][] = [
  ...CHART_ORDER.map((layer) => [layer, plane.charts[layer]] as [string, Chart]),
  ['adhoc', adhoc],
];
for (const [name, chart] of files)
  fs.writeFileSync(path.join(out, `${name}.k8s.yaml`), Yaml.stringify(...chart.toJson()));
console.log(`wrote ${files.length} files under ${out}`);
