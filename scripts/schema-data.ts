// npm run schema-data -- --dir <dir> [--base-url <url>]
// Fetches the pinned Kubernetes schemas, operator CRDs and Polaris specs by commit into <dir>/{schemas,crds,specs},
// checking each file's git blob id; point DATAPLANE_SHARED_DIR at <dir> afterwards.
import { parseArgs } from 'util';
import { ConfigError } from '../config';
import { fetchSchemaData, GITHUB_RAW_BASE_URL } from '../validation/fetch-schema-data';
import { runCli } from './cli';

const USAGE = 'usage: npm run schema-data -- --dir <dir> [--base-url <url>]';

runCli(async () => {
  let values: { dir?: string; 'base-url'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { dir: { type: 'string' }, 'base-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError('schema-data', [`${(error as Error).message.split('. ')[0]}; ${USAGE}`]);
  }
  if (values.help) return console.log(USAGE);
  if (!values.dir) throw new ConfigError('schema-data', [`'--dir' is missing; ${USAGE}`]);
  const files = await fetchSchemaData(values.dir, { baseUrl: values['base-url'] ?? GITHUB_RAW_BASE_URL });
  console.log(`schema data: ${files.length} files checked under ${values.dir}; set DATAPLANE_SHARED_DIR=${values.dir}`);
});
