import * as path from 'path';
import { z } from 'zod';
import { PACKAGE_ROOT } from './paths';
import { EnvironmentSchema } from './schema/environment';

/** Where the package ships the JSON Schema of environment files (`npm run schema` writes it). */
export const ENVIRONMENT_JSON_SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schema', 'environment.schema.json');

/**
 * The JSON Schema (draft 2020-12) of an environment file, generated from the zod schema so editors complete and check
 * keys (`# yaml-language-server: $schema=…`). It describes the file as written (defaults are optional keys); the
 * cross-field rules (a retention covering the time-travel window, minNodes at most maxNodes, catalog-access consent…)
 * have no JSON Schema form and are only checked by `loadEnvironment`.
 */
export function environmentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(EnvironmentSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://dataplane.io/schemas/environment.schema.json',
    title: 'Data plane environment',
  };
}
