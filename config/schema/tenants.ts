import { z } from 'zod';
import { count, dnsLabel, quantity } from './common';

/** What a tenant may use at once: the namespace quota and the tenant's YuniKorn queue derive from it. */
export const TenantBudgetSchema = z.strictObject({
  /** CPU cores the tenant may request in total. */
  cpu: quantity('cpu'),
  /** Memory the tenant may request in total. */
  memory: quantity('memory'),
  /** Pods the tenant may run at once. */
  pods: count(1),
});

export const TenantSchema = z.strictObject({
  /** The tenant's name; it is also its namespace, so it must be a DNS label. */
  name: dnsLabel(),
  /** Who owns the tenant (team or contact), copied into namespace annotations. */
  owner: z.string().min(1, 'a non-empty owner (team or contact)'),
  budget: TenantBudgetSchema,
});

export type TenantConfig = z.infer<typeof TenantSchema>;
export type TenantBudget = z.infer<typeof TenantBudgetSchema>;
