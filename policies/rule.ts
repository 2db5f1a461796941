/**
 * The one rule shape shared by the Kubernetes and AWS rules. Rules are plain functions so that tests, `npm run validate`
 * and the Pulumi policy pack (`pack.ts`) all run the very same code.
 */

/** `mandatory` blocks a preview/update and fails `npm run validate`; `advisory` only warns. */
export type EnforcementLevel = 'mandatory' | 'advisory';

/** One finding: the subject it is about (so the pack can attach it to that resource) and a message naming it and the fix. */
export interface Violation<T> {
  readonly subject: T;
  /** `<subject>: <detail>`. */
  readonly message: string;
  /** The problem and the fix, without the subject (for reports that name the subject themselves). */
  readonly detail: string;
}

/** What every rule declares besides its check. */
export interface RuleInfo {
  /** Kebab-case, unique across all rules; also the Pulumi policy name. */
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Why the rule exists (shown in the README table). */
  readonly reason: string;
}

/** A rule that judges one subject at a time (a Pulumi ResourceValidationPolicy). */
export interface ResourceRule<T> extends RuleInfo {
  readonly scope: 'resource';
  check(subject: T): Violation<T>[];
}

/** A rule that needs every subject at once, to correlate them (a Pulumi StackValidationPolicy). */
export interface StackRule<T> extends RuleInfo {
  readonly scope: 'stack';
  check(subjects: readonly T[]): Violation<T>[];
}

export type Rule<T> = ResourceRule<T> | StackRule<T>;

/** A violation together with the rule that found it. */
export interface Finding<T> {
  readonly rule: Rule<T>;
  readonly violation: Violation<T>;
}

/** Runs every rule over every subject. */
export function runRules<T>(rules: readonly Rule<T>[], subjects: readonly T[]): Finding<T>[] {
  return rules.flatMap((rule) => {
    const violations =
      rule.scope === 'stack' ? rule.check(subjects) : subjects.flatMap((subject) => rule.check(subject));
    return violations.map((violation) => ({ rule, violation }));
  });
}

/** What a check found wrong and how to fix it, before the subject is named. */
export interface Problem {
  readonly problem: string;
  readonly fix: string;
}

/** `<subject>: <problem>. Fix: <fix>` — every message names the resource and how to fix it. */
export function violation<T>(subject: T, label: string, problem: string, fix: string): Violation<T> {
  const detail = `${problem}. Fix: ${fix}`;
  return { subject, message: `${label}: ${detail}`, detail };
}
