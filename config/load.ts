import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, show } from './errors';
import { environmentsDir } from './paths';
import { ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName, EnvironmentSchema } from './schema/environment';

/** Options for {@link loadEnvironment}. */
export interface LoadEnvironmentOptions {
  /**
   * Folder holding `<name>.yaml`.
   * @default - `DATAPLANE_ENVIRONMENTS_DIR`, else the package's `environments/`
   */
  readonly dir?: string;
}

/** True when `name` is one of the shipped environments. */
export function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

/**
 * Reads and validates `environments/<name>.yaml`. Every problem is reported at once as a {@link ConfigError} naming
 * the file, the key path, the value found and what is expected; nothing is returned unless the whole file is valid.
 */
export function loadEnvironment(name: string, options: LoadEnvironmentOptions = {}): EnvironmentConfig {
  const dir = options.dir ?? environmentsDir();
  if (!isEnvironmentName(name)) {
    throw new ConfigError('environment', [
      `'${name}' is not an environment; expected one of ${ENVIRONMENT_NAMES.join(', ')}`,
    ]);
  }
  const file = path.join(dir, `${name}.yaml`);
  if (!fs.existsSync(file))
    throw new ConfigError(file, [`the file does not exist; expected the description of environment '${name}'`]);
  return parseEnvironment(fs.readFileSync(file, 'utf8'), file, name);
}

/** Validates environment YAML text; `file` is used in messages and `expectedName` must match the `name` key. */
export function parseEnvironment(text: string, file: string, expectedName?: string): EnvironmentConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `YAML syntax (line ${lineCounter.linePos(e.pos[0]).line}): ${e.message.split('\n')[0]}`),
    );
  }
  const input: unknown = doc.toJS();
  const result = EnvironmentSchema.safeParse(input);
  const problems = result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, input));
  if (result.success && expectedName !== undefined && result.data.name !== expectedName) {
    problems.push(`'name' is ${show(result.data.name)}; expected ${show(expectedName)}, the name of the file`);
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return result.data!;
}

/** Loads every shipped environment (used by synth --all, the tests and the benchmark). */
export function loadAllEnvironments(options: LoadEnvironmentOptions = {}): EnvironmentConfig[] {
  return ENVIRONMENT_NAMES.map((name) => loadEnvironment(name, options));
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, input: unknown): string[] {
  const at = (p: readonly PropertyKey[]) => formatPath(p);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const keyPath = [...issue.path, key];
        const known = knownKeys(EnvironmentSchema, issue.path);
        return `'${at(keyPath)}' is an unknown key (value ${show(valueAt(input, keyPath))}); expected one of: ${known.join(', ')}`;
      });
    case 'invalid_type':
      return [
        `'${at(issue.path)}' is ${show(valueAt(input, issue.path))}; expected ${issue.expected === 'undefined' ? 'no value' : issue.expected}`,
      ];
    case 'invalid_value':
      return [
        `'${at(issue.path)}' is ${show(valueAt(input, issue.path))}; expected one of ${issue.values.map((v) => show(v)).join(', ')}`,
      ];
    case 'invalid_union': {
      const expected = [
        ...new Set(issue.errors.flat().map((e) => (e.code === 'invalid_type' ? e.expected : e.message))),
      ];
      return [`'${at(issue.path)}' is ${show(valueAt(input, issue.path))}; expected ${expected.join(' or ')}`];
    }
    default: {
      // Cross-field rules pass the effective value (defaults included), which the file may not spell out.
      const params = issue.code === 'custom' ? issue.params : undefined;
      const value = params && 'value' in params ? params.value : valueAt(input, issue.path);
      return [`'${at(issue.path)}' is ${show(value)}; expected ${issue.message}`];
    }
  }
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('') || '(root)';
}

function valueAt(input: unknown, p: readonly PropertyKey[]): unknown {
  let node: any = input;
  for (const key of p) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key as any];
  }
  return node;
}

/** The keys the object schema at `p` allows. */
function knownKeys(schema: z.ZodType, p: readonly PropertyKey[]): string[] {
  let node: any = unwrap(schema);
  for (const key of p) {
    if (node?._zod?.def?.type === 'array') node = unwrap(node._zod.def.element);
    else if (node?._zod?.def?.type === 'object') node = unwrap(node._zod.def.shape[key as string]);
    else return [];
  }
  return node?._zod?.def?.type === 'object' ? Object.keys(node._zod.def.shape) : [];
}

function unwrap(schema: any): any {
  let node = schema;
  for (;;) {
    const def = node?._zod?.def;
    if (!def) return node;
    if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (def.type === 'lazy') node = def.getter();
    else return node;
  }
}
