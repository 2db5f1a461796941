import { z } from 'zod';
import { valueAt } from '../key-path';
import { ConfigProblem } from '../source';

/** The outcome of {@link validate}: the parsed value, or one problem per bad key. */
export type Validation<T> =
  | { readonly success: true; readonly data: T; readonly problems: readonly [] }
  | { readonly success: false; readonly data?: undefined; readonly problems: readonly ConfigProblem[] };

/**
 * Validates `value` against a config schema and turns every issue into a {@link ConfigProblem}: key path, expected
 * form (the schema's own message, else the type or bounds in words) and, for cross-field rules, the effective value.
 * The loader and the constructs that validate their props with the same schemas both use it, so a rule has one
 * message wherever it fires.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): Validation<z.output<S>> {
  const result = schema.safeParse(value, { error: expectedForm });
  if (result.success) return { success: true, data: result.data, problems: [] };
  const problems = onePerKey(result.error.issues.flatMap((issue) => problemsOf(schema, issue)));
  return { success: false, problems: foldMisspeltKeys(problems, value) };
}

/**
 * A misspelt key is one problem, not two: the unknown key names the required key it resembles, and that key is not
 * reported missing as well.
 */
function foldMisspeltKeys(problems: readonly ConfigProblem[], input: unknown): ConfigProblem[] {
  const missing = problems.filter((p) => !p.knownKeys && p.path.length > 0 && valueAt(input, p.path) === undefined);
  const folded = new Set<ConfigProblem>();
  const result = problems.map((p) => {
    if (!p.knownKeys) return p;
    const key = String(p.path[p.path.length - 1]);
    const parent = JSON.stringify(p.path.slice(0, -1));
    const twin = missing.find(
      (m) =>
        !folded.has(m) &&
        JSON.stringify(m.path.slice(0, -1)) === parent &&
        resembles(key, String(m.path[m.path.length - 1])),
    );
    if (!twin) return p;
    folded.add(twin);
    return { ...p, didYouMean: String(twin.path[twin.path.length - 1]) };
  });
  return result.filter((p) => !folded.has(p));
}

/** Same letters ignoring case, or at most two edits apart. */
function resembles(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length] <= 2;
}

type Issue = z.core.$ZodIssue;

/**
 * The expected form for issues whose schema gives none of its own (a schema's own message always wins): the type or
 * the bounds, in words.
 */
function expectedForm(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${article(issue.expected)} (the key is required)`;
      return article(issue.expected);
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'a non-empty string' : `at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `at most ${issue.maximum} characters`;
      return `at most ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return [...new Set(issue.errors.flat().map((e) => e.message))].join(' or ');
    default:
      return undefined;
  }
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'a mapping of keys to values',
  array: 'a list',
  number: 'a finite number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  record: 'a mapping of keys to values',
};

function article(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

function problemsOf(schema: z.ZodType, issue: Issue): ConfigProblem[] {
  const at = issue.path as (string | number)[];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...at, key],
        expected: '',
        knownKeys: knownKeys(schema, at),
      }));
    default: {
      // Cross-field rules pass the effective value (defaults included), which the file may not spell out.
      const params = issue.code === 'custom' ? issue.params : undefined;
      return [{ path: at, expected: issue.message, ...(params && 'value' in params ? { value: params.value } : {}) }];
    }
  }
}

/** One line per key: the first problem of a value is the one to fix (later ones often follow from it). */
function onePerKey(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify(p.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The keys the object schema at `p` allows. */
function knownKeys(schema: z.ZodType, p: readonly PropertyKey[]): string[] {
  let node: any = unwrap(schema);
  for (const key of p) {
    if (node?._zod?.def?.type === 'array') node = unwrap(node._zod.def.element);
    else if (node?._zod?.def?.type === 'record') node = unwrap(node._zod.def.valueType);
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
