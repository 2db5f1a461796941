import { z } from 'zod';
import {
  TenantCatalogAccessInput,
  CatalogAccessSchema,
  ScheduledJobInput,
  ScheduledJobSchema,
  SparkConnectInput,
  SparkConnectSchema,
  TenantBudgetInput,
  TenantBudgetSchema,
  TenantGuaranteeInput,
  TenantGuaranteeSchema,
  TenantInput,
  TenantObjectCountsInput,
  TenantObjectCountsSchema,
  TenantSchema,
} from '../../config';

// The hand-written inputs are read-only views of what the schemas accept: compare them with the schema's input type
// made read-only all the way down, in both directions, so a key added, dropped, renamed, retyped or made optional on
// either side fails the type check.
type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when `T` is `true`. */
function agree<T extends true>(): T {
  return true as T;
}
// Mutual assignability alone lets an optional key go missing on one side: the keys must be the same too.
type Matches<Input, S extends z.ZodType> =
  Same<Input, DeepReadonly<z.input<S>>> extends true ? Same<keyof Input, keyof z.input<S>> : false;

describe('the hand-written input types', () => {
  test('agree both ways with the input types of their schemas', () => {
    expect([
      agree<Matches<TenantInput, typeof TenantSchema>>(),
      agree<Matches<TenantBudgetInput, typeof TenantBudgetSchema>>(),
      agree<Matches<TenantGuaranteeInput, typeof TenantGuaranteeSchema>>(),
      agree<Matches<TenantObjectCountsInput, typeof TenantObjectCountsSchema>>(),
      agree<Matches<SparkConnectInput, typeof SparkConnectSchema>>(),
      agree<Matches<TenantCatalogAccessInput, typeof CatalogAccessSchema>>(),
      agree<Matches<ScheduledJobInput, typeof ScheduledJobSchema>>(),
    ]).toEqual(Array(7).fill(true));
  });

  test('the check is able to fail: a drifted input is refused by the compiler', () => {
    // A budget whose pods became optional, and one that lost `objects`, no longer match.
    type LoosePods = Omit<TenantBudgetInput, 'pods'> & { readonly pods?: number };
    type NoObjects = Omit<TenantBudgetInput, 'objects'>;
    const loose: Matches<LoosePods, typeof TenantBudgetSchema> = false;
    const missing: Matches<NoObjects, typeof TenantBudgetSchema> = false;
    // @ts-expect-error -- a drifted input does not satisfy agree()
    agree<Matches<LoosePods, typeof TenantBudgetSchema>>();
    expect([loose, missing]).toEqual([false, false]);
  });

  test('a budget written with numbers is accepted, as the environment file accepts it', () => {
    const budget: TenantBudgetInput = { cpu: 4, memory: '16Gi', pods: 10 };
    expect(TenantBudgetSchema.parse(budget)).toMatchObject({ cpu: '4', memory: '16Gi', pods: 10 });
  });
});
