/**
 * Durations written the way operators say them (`90m`, `24h`, `7d`), kept as whole minutes so schedules, retention
 * windows and expected run times compare without unit mistakes.
 */

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

/** `<whole number><m|h|d>`, e.g. `30m`, `24h`, `7d`. */
export const DURATION_PATTERN = /^([0-9]+)([mhd])$/;

/** True when `value` is a duration in the {@link DURATION_PATTERN} grammar. */
export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION_PATTERN.test(value);
}

/** Minutes in a duration such as `7d`; throws on anything else. */
export function durationMinutes(value: string): number {
  const match = DURATION_PATTERN.exec(value);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(value)}`);
  return Number(match[1]) * UNIT_MINUTES[match[2]];
}
