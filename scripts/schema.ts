// npm run schema: writes schema/environment.schema.json from the zod schema (test/config/json-schema.test.ts fails
// when the committed file is out of date).
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENT_JSON_SCHEMA_FILE, environmentJsonSchema } from '../config';
import { runCli } from './cli';

runCli(() => {
  fs.mkdirSync(path.dirname(ENVIRONMENT_JSON_SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(ENVIRONMENT_JSON_SCHEMA_FILE, `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), ENVIRONMENT_JSON_SCHEMA_FILE)}`);
});
