import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import {
  ENVIRONMENT_JSON_SCHEMA_FILE,
  environmentJsonSchema,
  environmentNames,
  environmentsDir,
  PACKAGE_ROOT,
} from '../../config';

const shipped = environmentNames().map((name) => path.join(environmentsDir(), `${name}.yaml`));
const validator = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(ENVIRONMENT_JSON_SCHEMA_FILE, 'utf8')),
);

describe('the JSON Schema of environment files', () => {
  test('the committed file is what the zod schema generates (run `npm run schema` after changing it)', () => {
    expect(JSON.parse(fs.readFileSync(ENVIRONMENT_JSON_SCHEMA_FILE, 'utf8'))).toEqual(environmentJsonSchema());
  });

  test('ships in the package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain(`${path.relative(PACKAGE_ROOT, path.dirname(ENVIRONMENT_JSON_SCHEMA_FILE))}/`);
  });

  test.each(shipped)('%s names the schema for editors, by a path that exists', (file) => {
    const first = fs.readFileSync(file, 'utf8').split('\n')[0];
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match).not.toBeNull();
    expect(path.resolve(path.dirname(file), match![1])).toBe(ENVIRONMENT_JSON_SCHEMA_FILE);
  });

  test.each(shipped)('accepts %s', (file) => {
    const ok = validator(parse(fs.readFileSync(file, 'utf8')));
    expect(validator.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('rejects a bad file at the keys that are wrong', () => {
    const env = parse(fs.readFileSync(shipped[0], 'utf8'));
    env.network.vpcCidr = 'ten.twenty';
    env.tenants[0].ownr = 'typo';
    delete env.region;
    env.capacity.system.minNodes = 0;
    expect(validator(env)).toBe(false);
    const errors = (validator.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
    expect(errors).toEqual([
      ' required',
      '/capacity/system/minNodes minimum',
      '/network/vpcCidr pattern',
      '/tenants/0 additionalProperties',
    ]);
  });
});
