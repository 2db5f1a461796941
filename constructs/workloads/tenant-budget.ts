import { formatCpu, formatMemory, parseQuantity, TenantBudget } from '../../config';
import { SparkDemand } from './resource-profiles';

/**
 * Why a job's peak demand does not fit a tenant's budget (empty when it fits). The budget is what the tenant's
 * namespace quota and YuniKorn queue are derived from, so a job that exceeds it could never be scheduled whole.
 */
export function budgetShortfalls(demand: SparkDemand, budget: TenantBudget): string[] {
  const shortfalls: string[] = [];
  if (demand.cpu > parseQuantity(budget.cpu)) shortfalls.push(`${formatCpu(demand.cpu)} CPU > ${budget.cpu}`);
  if (demand.memoryBytes > parseQuantity(budget.memory)) shortfalls.push(`${formatMemory(demand.memoryBytes)} memory > ${budget.memory}`);
  if (demand.pods > budget.pods) shortfalls.push(`${demand.pods} pods > ${budget.pods}`);
  return shortfalls;
}
