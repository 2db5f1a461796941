import * as fs from 'fs';
import * as path from 'path';
import { isScalar, LineCounter, parseDocument, visit, YAMLError } from 'yaml';
import { ConfigError } from './errors';
import { environmentsDir } from './paths';
import { DNS_LABEL } from './schema/common';
import { EnvironmentConfig, EnvironmentSchema } from './schema/environment';
import { validate } from './schema/validate';
import { EnvironmentSource, recordSource } from './source';

/** Options for {@link loadEnvironment}. */
export interface LoadEnvironmentOptions {
  /**
   * Folder holding `<name>.yaml`.
   * @default - `DATAPLANE_ENVIRONMENTS_DIR`, else the package's `environments/`
   */
  readonly dir?: string;
}

/**
 * Most alias nodes a file may expand to. Environment files need none; the limit keeps a "billion laughs" file from
 * exhausting memory, and is reported like any other problem.
 */
export const MAX_YAML_ALIASES = 100;

/** The environments in `dir`: one per `<name>.yaml` whose name is a DNS label, in name order. */
export function environmentNames(options: LoadEnvironmentOptions = {}): string[] {
  const dir = options.dir ?? environmentsDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && DNS_LABEL.test(f.slice(0, -'.yaml'.length)))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** True when `<dir>/<name>.yaml` is an environment. */
export function isEnvironmentName(name: string, options: LoadEnvironmentOptions = {}): boolean {
  return environmentNames(options).includes(name);
}

/**
 * Reads and validates `<dir>/<name>.yaml`; any DNS-label name is an environment (`teamb.yaml` is environment `teamb`).
 * Every problem is reported at once as a {@link ConfigError}, one line each naming the file, the line, the key path,
 * the value as written and what is expected; nothing is returned unless the whole file is valid.
 */
export function loadEnvironment(name: string, options: LoadEnvironmentOptions = {}): EnvironmentConfig {
  const dir = options.dir ?? environmentsDir();
  const file = path.join(dir, `${name}.yaml`);
  if (!DNS_LABEL.test(name) || !fs.existsSync(file)) {
    const known = environmentNames({ dir });
    throw new ConfigError(file, [
      `${file}: environment ${JSON.stringify(name)} does not exist; expected one of the environments in ${dir}: ${known.join(', ') || '(none)'}`,
    ]);
  }
  return parseEnvironment(fs.readFileSync(file, 'utf8'), file, name);
}

/** Validates environment YAML text; `file` is used in messages and `expectedName` must match the `name` key. */
export function parseEnvironment(text: string, file: string, expectedName?: string): EnvironmentConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter, prettyErrors: false });
  const source = new EnvironmentSource(file, text, doc, lineCounter);
  if (doc.errors.length > 0) throw new ConfigError(file, syntaxProblems(doc, source));
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // The yaml library refuses an alias without its anchor, and a document whose aliases expand past the limit (a
    // resource-exhaustion attack).
    const message = (error as Error).message;
    const expected = /alias count/i.test(message)
      ? `a file without aliases, or at most ${MAX_YAML_ALIASES} alias expansions`
      : SYNTAX_EXPECTED.BAD_ALIAS;
    throw new ConfigError(file, [source.at(firstAlias(doc), `YAML alias error: ${message}; expected ${expected}`)]);
  }
  const result = validate(EnvironmentSchema, input);
  const problems = [...result.problems];
  if (result.success && expectedName !== undefined && result.data.name !== expectedName) {
    problems.push({ path: ['name'], expected: `${JSON.stringify(expectedName)}, the name of the file` });
  }
  if (problems.length > 0)
    throw new ConfigError(
      file,
      problems.map((p) => source.describe(p)),
    );
  recordSource(result.data!, source);
  return result.data!;
}

/** Loads every environment of the folder (used by synth, the tests and the benchmark). */
export function loadAllEnvironments(options: LoadEnvironmentOptions = {}): EnvironmentConfig[] {
  return environmentNames(options).map((name) => loadEnvironment(name, options));
}

/** What YAML expects at each syntax error the yaml library reports (by its error code). */
const SYNTAX_EXPECTED: Readonly<Record<string, string>> = {
  BAD_INDENT:
    'items of one mapping or list starting at the same column, and [...] or {...} closed and indented past its key',
  TAB_AS_INDENT: 'spaces for indentation (YAML forbids tabs)',
  MULTILINE_IMPLICIT_KEY: 'a key on one line',
  BLOCK_AS_IMPLICIT_KEY: 'one "key: value" per line (quote a value that contains ": ")',
  MISSING_CHAR: 'the closing bracket, brace or quote',
  BAD_DQ_ESCAPE: 'a valid escape in the double-quoted string (\\n, \\t, \\", \\\\), or single quotes',
  UNEXPECTED_TOKEN: '"key: value" pairs, or "- item" entries, indented like their siblings',
  BAD_SCALAR_START: 'a quoted value (a plain value cannot start with @ or `)',
  BLOCK_IN_FLOW: 'only flow values inside [...] or {...}',
  MULTIPLE_DOCS: 'one YAML document (no "---" separator)',
  BAD_ALIAS: 'an alias to an anchor defined earlier in the file',
};

function syntaxProblems(doc: ReturnType<typeof parseDocument>, source: EnvironmentSource): string[] {
  const lines: string[] = [];
  const seenLines = new Set<number>();
  for (const error of doc.errors) {
    // One mistake often yields several errors on its line; the first says what is wrong.
    const line = source.lineOf(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY' || seenLines.has(line)) continue;
    seenLines.add(line);
    lines.push(
      source.at(
        error.pos[0],
        `YAML syntax error: ${firstLine(error)}; expected ${SYNTAX_EXPECTED[error.code] ?? 'valid YAML'}`,
      ),
    );
  }
  // The yaml library reports a duplicate key at the end of its map; name each one where it is repeated.
  if (doc.errors.some((e) => e.code === 'DUPLICATE_KEY')) {
    visit(doc, {
      Map(_, map) {
        const seen = new Set<unknown>();
        for (const pair of map.items) {
          const key = isScalar(pair.key) ? pair.key.value : pair.key;
          if (seen.has(key))
            lines.push(
              source.at(
                (pair.key as { range?: [number] }).range?.[0] ?? 0,
                `YAML syntax error: the key ${JSON.stringify(key)} appears twice in one mapping; expected each key once`,
              ),
            );
          seen.add(key);
        }
      },
    });
  }
  return lines;
}

function firstLine(error: YAMLError): string {
  return error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function firstAlias(doc: ReturnType<typeof parseDocument>): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}
