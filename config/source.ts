import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair } from 'yaml';
import { ConfigError, ConfigProblem, problemText, show } from './errors';
import { KeyPath, keyPathText } from './key-path';

export type { ConfigProblem };

/** Where a node of the file is: its line, and its text as written when it is a scalar or a one-line collection. */
interface Located {
  readonly line: number;
  /** The deepest key of the path the file has. */
  readonly found: boolean;
  readonly written?: string;
}

/**
 * An environment file as parsed: it turns a key path into `<file>:<line>` and the value as the user wrote it. Every
 * stage that finds a problem in an environment reports through it, so the messages have one format and name the file
 * the user loaded.
 */
export class EnvironmentSource {
  constructor(
    /** The file, as the user named it (or as the loader resolved it). */
    public readonly file: string,
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** `<file>:<line>: '<key>' is <value as written>; expected <form>`. */
  describe(problem: ConfigProblem): string {
    const located = this.locate(problem.path);
    let value: string;
    if (located.found && located.written !== undefined) value = located.written;
    else if (problem.value !== undefined) value = `${show(problem.value)}${located.found ? '' : ' (the default)'}`;
    else value = located.found ? show(this.doc.getIn(problem.path)) : 'missing';
    return `${this.file}:${located.line}: '${keyPathText(problem.path) || '(root)'}' ${problemText(problem, value)}`;
  }

  /** `<file>:<line>: <message>` for a problem at a position of the text (YAML syntax). */
  at(offset: number, message: string): string {
    return `${this.file}:${this.lineOf(offset)}: ${message}`;
  }

  /** The line (from 1) of a position of the text. */
  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** The line of `path` (or of its deepest key present in the file) and its text as written. */
  private locate(path: KeyPath): Located {
    let node: unknown = this.doc.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    for (const key of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p: Pair) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
        next = pair?.value;
      } else if (isSeq(node) && typeof key === 'number') {
        next = node.items[key];
        const range = (next as Node | undefined)?.range;
        if (range) offset = range[0];
      }
      if (next === undefined || isPair(next)) return { line: this.lines.linePos(offset).line, found: false };
      node = next;
    }
    return { line: this.lines.linePos(offset).line, found: true, written: this.written(node) };
  }

  private written(node: unknown): string | undefined {
    if (node === null) return 'empty';
    const range = (node as Node).range;
    if (!range) return undefined;
    const text = this.text.slice(range[0], range[1]).trim();
    if (text === '') return 'empty';
    return text.includes('\n') ? show((node as Node).toJSON()) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
}

const SOURCES = new WeakMap<object, EnvironmentSource>();

/** Remembers where a loaded environment came from, so later stages can name the file. */
export function recordSource(env: object, source: EnvironmentSource): void {
  SOURCES.set(env, source);
}

/** The file an environment was loaded from; undefined for one built in TypeScript. */
export function sourceOf(env: object): EnvironmentSource | undefined {
  return SOURCES.get(env);
}

/**
 * The ConfigError for problems a stage after the schema found in an environment: each line names the file the
 * environment was loaded from (with the line and the value as written), or the environment when it has no file.
 */
export function environmentError(env: { readonly name: string }, problems: readonly ConfigProblem[]): ConfigError {
  const source = sourceOf(env);
  const describe = (p: ConfigProblem) =>
    source
      ? source.describe(p)
      : `environment '${env.name}': '${keyPathText(p.path) || '(root)'}' ${problemText(p, show(p.value))}`;
  return new ConfigError(environmentSubject(env), problems.map(describe));
}

/** What an environment's errors are about: the file it was loaded from, else its name (built in TypeScript). */
export function environmentSubject(env: { readonly name: string }): string {
  return sourceOf(env)?.file ?? `environment '${env.name}'`;
}
