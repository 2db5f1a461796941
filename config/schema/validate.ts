import { z } from 'zod';
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
  return { success: false, problems: onePerKey(result.error.issues.flatMap((issue) => problemsOf(schema, issue))) };
}

type Issue = z.core.$ZodIssue;

/**
 * The expected form for issues whose schema gives none of its own (a schema's own message always wins): the type or
 * the bounds, in words.
 */
function expectedForm(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `a value (the key is required): ${article(issue.expected)}`;
      return article(issue.expected);
    case 'too_small':
      if (issue.origin === 'array') return `at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `at most ${issue.maximum} characters`;
      return `at most ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return undefined;
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
    case 'invalid_union': {
      const expected = [...new Set(issue.errors.flat().map((e) => e.message))];
      return [{ path: at, expected: expected.join(' or ') }];
    }
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
