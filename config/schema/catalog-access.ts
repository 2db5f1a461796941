import { KeyPath, keyPathText } from '../key-path';
import { RuleProblem } from './rules';
import { CatalogAccess, defaultCatalogAccess } from './services';

/** Who may do what in the catalog, as the environment declares it (the Polaris provisioner grants exactly this). */
export interface CatalogAccessInput {
  /** The tenants' names. */
  readonly tenants: readonly string[];
  /** Access per tenant; a tenant not listed gets {@link defaultCatalogAccess}. */
  readonly access: Readonly<Record<string, CatalogAccess>>;
  /** Namespaces owned through data sets (a data set's namespace belongs to its tenant). @default [] */
  readonly datasets?: readonly { readonly namespace: string; readonly tenant: string }[];
  /** Where `access` sits in the file, for the key paths of problems. */
  readonly at: KeyPath;
}

/** The tenant that owns each namespace: a data set's tenant owns its namespace, a tenant the namespace named like it. */
export function namespaceOwners(input: Pick<CatalogAccessInput, 'tenants' | 'datasets'>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const d of input.datasets ?? []) if (!owners.has(d.namespace)) owners.set(d.namespace, d.tenant);
  for (const t of input.tenants) if (!owners.has(t)) owners.set(t, t);
  return owners;
}

/** The namespaces `tenant` writes. */
export function writtenNamespaces(input: Pick<CatalogAccessInput, 'access'>, tenant: string): readonly string[] {
  return (input.access[tenant] ?? defaultCatalogAccess(tenant)).write ?? [];
}

/**
 * The catalog-access rules: entries name tenants; a tenant writes another tenant's namespace only with that owner's
 * consent (`grantWrite`), and grants only what it owns to tenants that exist.
 */
export function catalogAccessProblems(input: CatalogAccessInput): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const owners = namespaceOwners(input);
  const tenantList = input.tenants.join(', ');
  for (const [tenant, access] of Object.entries(input.access)) {
    const at = [...input.at, tenant];
    if (!input.tenants.includes(tenant)) {
      problems.push({ path: at, expected: `an entry for one of the tenants (${tenantList})` });
      continue;
    }
    (access.write ?? []).forEach((ns, i) => {
      const owner = owners.get(ns);
      if (owner === undefined || owner === tenant) return;
      if (input.access[owner]?.grantWrite?.[ns]?.includes(tenant)) return;
      problems.push({
        path: [...at, 'write', i],
        expected:
          `a namespace tenant '${tenant}' owns, or one whose owner consents: namespace "${ns}" belongs to tenant ` +
          `'${owner}', which must list '${tenant}' in ${keyPathText([...input.at, owner, 'grantWrite', ns])}`,
      });
    });
    for (const [ns, grantees] of Object.entries(access.grantWrite ?? {})) {
      if (owners.get(ns) !== tenant) {
        problems.push({
          path: [...at, 'grantWrite', ns],
          expected: `a namespace tenant '${tenant}' owns (it can only consent for its own namespaces)`,
        });
      }
      grantees.forEach((grantee, i) => {
        if (!input.tenants.includes(grantee) || grantee === tenant)
          problems.push({
            path: [...at, 'grantWrite', ns, i],
            expected: `another tenant (${input.tenants.filter((t) => t !== tenant).join(', ')})`,
          });
      });
    }
  }
  return problems;
}
