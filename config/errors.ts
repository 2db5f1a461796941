import { KeyPath, keyPathText } from './key-path';

/**
 * Errors the package raises for bad input. Each carries every problem found, one line each, so a user fixes them all
 * in one pass. CLIs print `message` (no stack trace) and exit non-zero.
 */
export class DataPlaneError extends Error {
  constructor(
    /** What was being checked: a file, a construct path, a manifest. */
    public readonly subject: string,
    /** One line per problem. */
    public readonly problems: readonly string[],
  ) {
    super(
      `${subject}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = new.target.name;
  }
}

/** Raised when an environment file does not match the schema or its cross-field rules. */
export class ConfigError extends DataPlaneError {}

/** Raised by a construct whose props are invalid; `subject` is the construct path. */
export class PropsError extends DataPlaneError {}

/** One bad value of an environment: where it is, and what would be valid there. */
export interface ConfigProblem {
  /** Key path in the environment file, e.g. `['network', 'vpcCidr']`. */
  readonly path: KeyPath;
  /** The valid form, e.g. `an IPv4 CIDR block such as 10.0.0.0/16`. */
  readonly expected: string;
  /**
   * The effective value, shown when the file does not spell the key out (a default, or an environment built in
   * TypeScript); a key the file writes is shown as written.
   */
  readonly value?: unknown;
  /**
   * Set when the key itself is the problem (a typo): the keys the mapping allows. `expected` is then unused.
   * @default - the value is the problem
   */
  readonly knownKeys?: readonly string[];
}

/** Renders a value for an error message: short, JSON-like, never multi-line. */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Collects problems about one subject and throws them together.
 *
 * @example
 * const problems = new Problems(this.node.path);
 * problems.check(props.retries >= 0, 'retries', props.retries, 'a whole number >= 0');
 * problems.throwIfAny();
 */
export class Problems {
  private readonly lines: string[] = [];

  constructor(
    private readonly subject: string,
    private readonly errorType: new (subject: string, problems: readonly string[]) => DataPlaneError = PropsError,
  ) {}

  /** Records a problem: `key` is the property path, `value` what was given, `expected` what would be valid. */
  add(key: string, value: unknown, expected: string): void {
    this.lines.push(`'${key}' is ${show(value)}; expected ${expected}`);
  }

  /**
   * Records the problems a config schema found in `value` (see `validate`), each under `prefix` (the prop's name, when
   * the schema checked one prop), so each line names the key path and the bad value.
   */
  addAll(problems: readonly ConfigProblem[], value: unknown, prefix: KeyPath = []): void {
    for (const p of problems) {
      const path = keyPathText([...prefix, ...p.path]);
      this.lines.push(`'${path}' ${problemText(p, show(p.value !== undefined ? p.value : valueAt(value, p.path)))}`);
    }
  }

  /** Records a problem unless `ok` holds. */
  check(ok: boolean, key: string, value: unknown, expected: string): void {
    if (!ok) this.add(key, value, expected);
  }

  /** Records a free-form problem (for rules that span several keys). */
  note(line: string): void {
    this.lines.push(line);
  }

  get count(): number {
    return this.lines.length;
  }

  throwIfAny(): void {
    if (this.lines.length > 0) throw new this.errorType(this.subject, this.lines);
  }
}

function valueAt(value: unknown, path: KeyPath): unknown {
  let node: any = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key];
  }
  return node;
}

/** What follows the key in a problem line: `is <value>; expected <form>`, or the unknown-key form. */
export function problemText(problem: ConfigProblem, value: string): string {
  return problem.knownKeys
    ? `is an unknown key (value ${value}); expected one of: ${problem.knownKeys.join(', ')}`
    : `is ${value}; expected ${problem.expected}`;
}
