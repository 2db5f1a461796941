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

/** What JSON cannot render (a bigint, a function, a symbol, a cyclic object). */
function fallbackText(value: unknown): string {
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}

/** Renders a value for an error message: short, JSON-like, never multi-line. */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? fallbackText(value));
  } catch {
    text = fallbackText(value);
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
