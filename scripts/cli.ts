import * as fs from 'fs';
import { parseArgs, ParseArgsConfig } from 'util';
import { DataPlaneError } from '../config';

/** A flag of a command-line tool: `--name <value>`, or a switch when `type` is 'boolean'. */
export interface Flag {
  readonly type: 'string' | 'boolean';
  /** One line for `--help`. */
  readonly description: string;
  /** Placeholder of the value in `--help`, e.g. `<env>[,<env>]`. @default '<value>' */
  readonly value?: string;
  /** Value when the flag is not given. @default - none: undefined (false for a switch) */
  readonly default?: string;
  /** May be given more than once and comma-separated; the value is the list. @default false */
  readonly multiple?: boolean;
  /** Must be given. @default false */
  readonly required?: boolean;
  /**
   * The value names a directory: `'output'` one that is created if missing, `'input'` one that must exist; a file of
   * that name is refused either way. @default - any text
   */
  readonly directory?: 'input' | 'output';
}

/** A command-line tool: how it is run, what it does, its flags. */
export interface Command<F extends Readonly<Record<string, Flag>>> {
  /** As the user types it, e.g. `npm run synth`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  readonly flags: F;
}

/** The parsed flags, typed from their definitions. */
export type FlagValues<F extends Readonly<Record<string, Flag>>> = {
  -readonly [K in keyof F]: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K] extends { readonly multiple: true }
      ? string[] | undefined
      : F[K] extends { readonly default: string } | { readonly required: true }
        ? string
        : string | undefined;
};

/** Bad command-line input: one line, with where to find the usage. */
export class UsageError extends Error {
  constructor(command: Command<Readonly<Record<string, Flag>>>, problem: string) {
    super(`${command.name}: ${problem} (see \`${command.name} -- --help\`)`);
    this.name = 'UsageError';
  }
}

/** The `--help` text of a command. */
export function helpText(command: Command<Readonly<Record<string, Flag>>>): string {
  const entries = Object.entries(command.flags).map(([name, flag]) => {
    const head = flag.type === 'boolean' ? `--${name}` : `--${name} ${flag.value ?? '<value>'}`;
    return { name, flag, head, usage: flag.required ? head : `[${head}]` };
  });
  const width = Math.max(...entries.map((e) => e.head.length), '--help'.length);
  const line = (head: string, text: string) => `  ${head.padEnd(width)}  ${text}`;
  return [
    `usage: ${command.name}${entries.length > 0 ? ` -- ${entries.map((e) => e.usage).join(' ')}` : ''}`,
    '',
    command.summary,
    '',
    ...entries.map((e) =>
      line(
        e.head,
        e.flag.default === undefined ? e.flag.description : `${e.flag.description} (default: ${e.flag.default})`,
      ),
    ),
    line('--help', 'prints this text'),
  ].join('\n');
}

/**
 * Parses `argv` (without node and the script) against the command's flags. `--help` prints the help and returns
 * undefined; an unknown flag, a flag without its value, a positional argument, a missing required flag or a file where a
 * directory is expected throws a {@link UsageError}.
 */
export function parseCommand<F extends Readonly<Record<string, Flag>>>(
  command: Command<F>,
  argv: readonly string[] = process.argv.slice(2),
  print: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
): FlagValues<F> | undefined {
  if (argv.includes('--help') || argv.includes('-h')) {
    print(helpText(command));
    return undefined;
  }
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([name, flag]) => [
      name,
      { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) },
    ]),
  ) as NonNullable<ParseArgsConfig['options']>;
  let parsed: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(command, parseProblem(error));
  }
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, flag] of Object.entries(command.flags)) {
    const given = parsed[name];
    if (flag.type === 'boolean') {
      values[name] = given === true;
      continue;
    }
    const texts = given === undefined ? [] : (Array.isArray(given) ? given : [given]).map(String);
    if (texts.some((t) => t.trim() === ''))
      throw new UsageError(command, `--${name} needs a value ${flag.value ?? ''}`.trim());
    if (flag.multiple) {
      values[name] = texts.length > 0 ? texts.flatMap((t) => t.split(',')).filter(Boolean) : undefined;
    } else {
      values[name] = texts[0] ?? flag.default;
    }
    if (flag.required && values[name] === undefined) missing.push(`--${name}`);
    if (flag.directory && typeof values[name] === 'string') checkDirectory(command, name, values[name], flag.directory);
  }
  if (missing.length > 0) throw new UsageError(command, `missing ${missing.join(', ')}`);
  return values as FlagValues<F>;
}

/** One phrase for a `util.parseArgs` error (its own messages run over several sentences). */
function parseProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${flag} takes no value` : `${flag} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trim();
    default:
      return message.split('\n')[0];
  }
}

function checkDirectory(
  command: Command<Readonly<Record<string, Flag>>>,
  name: string,
  dir: string,
  kind: 'input' | 'output',
) {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory())
    throw new UsageError(command, `--${name} ${JSON.stringify(dir)} is a file; expected a directory`);
  if (!stat && kind === 'input')
    throw new UsageError(command, `--${name} ${JSON.stringify(dir)} does not exist; expected a directory`);
}

/** Whole milliseconds since `started` (a `process.hrtime.bigint()`), for the timings the tools print. */
export function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e6);
}

/**
 * Runs a command-line entry point: bad input (a DataPlaneError, a UsageError) prints its problems and exits 1 without
 * a stack trace; anything else is a bug and keeps its stack.
 */
export function runCli(main: () => void | Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof DataPlaneError || error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n`);
      } else {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      }
      process.exitCode = 1;
    });
}
