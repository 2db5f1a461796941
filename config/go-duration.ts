/** Go's `time.ParseDuration`, as robfig/cron uses it for `@every <duration>`. */

const NANOSECONDS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const MAX_NANOSECONDS = 2 ** 63 - 1;

/** The error Go returns for `text`, or undefined when it is a valid duration. */
export function goDurationError(text: string): string | undefined {
  const invalid = `time: invalid duration ${JSON.stringify(text)}`;
  let rest = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (rest === '0') return undefined;
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    // [0-9]*(\.[0-9]*)? then a unit
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(rest)!;
    const [whole, digits, , fraction] = number;
    if (!/^[0-9.]/.test(rest) || (digits === '' && !fraction)) return invalid;
    rest = rest.slice(whole.length);
    const unit = /^[^0-9.]*/.exec(rest)![0];
    if (unit === '') return `time: missing unit in duration ${JSON.stringify(text)}`;
    if (!(unit in NANOSECONDS)) return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`;
    rest = rest.slice(unit.length);
    total += Number(`${digits || '0'}.${fraction || '0'}`) * NANOSECONDS[unit];
    if (total > MAX_NANOSECONDS) return invalid;
  }
  return undefined;
}
