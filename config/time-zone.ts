/**
 * Time zone names as Go's `time.LoadLocation` accepts them, checked against the tz database that ships with Node's
 * ICU (the same IANA data Go loads).
 */

/** The error Go's `time.LoadLocation(name)` returns, or undefined when it loads. */
export function loadLocationError(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined;
  return isIanaTimeZone(name) ? undefined : `unknown time zone ${name}`;
}

const known = new Map<string, boolean>();

/** True when `name` is in the IANA tz database, spelled with its exact case (Go reads zone files case-sensitively). */
export function isIanaTimeZone(name: string): boolean {
  // Building an ICU formatter is slow and every scheduled job asks about the same few zones.
  let answer = known.get(name);
  if (answer === undefined) {
    answer = resolvesExactly(name);
    known.set(name, answer);
  }
  return answer;
}

function resolvesExactly(name: string): boolean {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // ICU matches names case-insensitively; a name that differs from its canonical form only in case is misspelled.
  return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
}
