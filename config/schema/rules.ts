import { z } from 'zod';
import { KeyPath } from '../key-path';

/** A problem a rule found, relative to the schema it is attached to. */
export interface RuleProblem {
  /** Key path below the schema's object (`[]` for the value itself). */
  readonly path: KeyPath;
  /** The valid form, e.g. `at most maxNodes (3)`; the loader adds file, line, key and the value as written. */
  readonly expected: string;
  /** The effective value, for a key the file may not spell out (a default); see `ConfigProblem.value`. */
  readonly value?: unknown;
}

const overlaps = (a: readonly PropertyKey[], b: KeyPath) => a.every((k, i) => i >= b.length || k === b[i]);

/**
 * A rule across several keys of a schema object, e.g. `EnvironmentSchema.check(crossFieldRule([['storage']], …))`.
 * `reads` lists the keys (relative to the object; `[]` is the whole object) the rule depends on: it runs only when
 * none of them has a problem of its own, so it never sees a value that failed its own check (and never throws on one),
 * while every other problem is still reported. It returns its problems as key paths and expected forms; the loader
 * turns each into `<file>:<line>: '<key>' is <value as written>; expected <form>`.
 */
export function crossFieldRule<T>(reads: readonly KeyPath[], rule: (value: T) => Iterable<RuleProblem>) {
  return z.superRefine<T>(
    (value, ctx) => {
      for (const p of rule(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [...p.path],
          message: p.expected,
          ...(p.value === undefined ? {} : { params: { value: p.value } }),
        });
      }
    },
    { when: (payload) => !payload.issues.some((issue) => reads.some((read) => overlaps(issue.path ?? [], read))) },
  );
}

/**
 * A rule on one value that needs more than its type and pattern: it runs only when the value passed those, and
 * reports `expected` at the value itself. `problem` returns the expected form when the value breaks the rule.
 */
export function valueRule<T>(problem: (value: T) => string | undefined) {
  return crossFieldRule<T>([[]], (value) => {
    const expected = problem(value);
    return expected === undefined ? [] : [{ path: [], expected }];
  });
}
