import { KubernetesClient, SecretDocument } from './kubernetes-client';
import { ProvisioningPlan, TenantPlan } from './plan';
import { CatalogStorageAccess, ClientCredentials, Grant, PolarisClient } from './polaris-client';

/** Writes one structured log line; never receives a secret. */
export type Logger = (event: string, fields?: Record<string, unknown>) => void;

/** What the provisioner works with. */
export interface ProvisionContext {
  /** A client already connected with the realm's root credentials. */
  readonly polaris: PolarisClient;
  readonly kubernetes: KubernetesClient;
  /** How Polaris reaches the catalog's storage (used only when the catalog is created). */
  readonly catalogStorage: CatalogStorageAccess;
  readonly log: Logger;
}

/** The changes a run made; an empty list means everything already matched the plan. */
export interface ProvisionReport {
  readonly changes: readonly string[];
}

/** Label on the credential Secrets the provisioner writes. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'polaris-provisioner' } as const;

/**
 * Brings Polaris and the tenants' credential Secrets to the plan. Every step reads before it writes, so a second run makes
 * no change, and a run that stopped halfway (the Job retries it) completes the rest. Existing catalogs, namespaces and
 * principals are kept; a catalog role's grants are made exactly the planned ones, so narrowing access in the environment
 * revokes what is no longer planned.
 *
 * A principal's secret is returned only when it is created or reset. The tenant Secret is therefore the record of it: when
 * the Secret holds the principal's client id and its credentials still obtain a token, nothing happens; otherwise (the
 * Secret is missing, e.g. a run failed between creating the principal and writing it, or someone rotated the secret) the
 * credentials are reset and the Secret rewritten.
 */
export async function provision(plan: ProvisioningPlan, ctx: ProvisionContext): Promise<ProvisionReport> {
  const changes: string[] = [];
  const change = (what: string, fields: Record<string, unknown>) => {
    changes.push(what);
    ctx.log(what, fields);
  };
  const { polaris } = ctx;
  const catalog = plan.catalog.name;

  if ((await polaris.getCatalog(catalog)) === undefined) {
    await polaris.createCatalog({ ...plan.catalog, ...ctx.catalogStorage });
    change(`created catalog ${catalog}`, { catalog });
  }
  for (const namespace of plan.namespaces) {
    if (!(await polaris.namespaceExists(catalog, namespace))) {
      await polaris.createNamespace(catalog, namespace);
      change(`created namespace ${catalog}.${namespace}`, { catalog, namespace });
    }
  }
  for (const tenant of plan.tenants) {
    await provisionTenant(plan, tenant, ctx, change);
  }
  ctx.log('provisioning complete', { changes: changes.length });
  return { changes };
}

async function provisionTenant(
  plan: ProvisioningPlan,
  tenant: TenantPlan,
  ctx: ProvisionContext,
  change: (what: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  const { polaris } = ctx;
  const catalog = plan.catalog.name;
  const fields = { tenant: tenant.tenant };

  if (!(await polaris.catalogRoleExists(catalog, tenant.catalogRole))) {
    await polaris.createCatalogRole(catalog, tenant.catalogRole);
    change(`created catalog role ${tenant.catalogRole}`, fields);
  }
  const wanted = new Map<string, Grant>();
  for (const grant of tenant.grants) {
    for (const privilege of grant.privileges) {
      const g: Grant = { type: 'namespace', namespace: [grant.namespace], privilege };
      wanted.set(grantKey(g), g);
    }
  }
  const held = new Map((await polaris.listGrants(catalog, tenant.catalogRole)).map((g) => [grantKey(g), g]));
  for (const [key, grant] of wanted) {
    if (!held.has(key)) {
      await polaris.addGrant(catalog, tenant.catalogRole, grant);
      change(`granted ${key} to ${tenant.catalogRole}`, fields);
    }
  }
  for (const [key, grant] of held) {
    if (!wanted.has(key)) {
      await polaris.revokeGrant(catalog, tenant.catalogRole, grant);
      change(`revoked ${key} from ${tenant.catalogRole}`, fields);
    }
  }

  if (!(await polaris.principalRoleExists(tenant.principalRole))) {
    await polaris.createPrincipalRole(tenant.principalRole);
    change(`created principal role ${tenant.principalRole}`, fields);
  }
  if (!(await polaris.catalogRolesOfPrincipalRole(tenant.principalRole, catalog)).includes(tenant.catalogRole)) {
    await polaris.assignCatalogRole(tenant.principalRole, catalog, tenant.catalogRole);
    change(`assigned catalog role ${tenant.catalogRole} to ${tenant.principalRole}`, fields);
  }

  await ensureCredentials(tenant, ctx, change);

  if (!(await polaris.principalRolesOf(tenant.principal)).includes(tenant.principalRole)) {
    await polaris.assignPrincipalRole(tenant.principal, tenant.principalRole);
    change(`assigned principal role ${tenant.principalRole} to ${tenant.principal}`, fields);
  }
}

/** Makes sure the principal exists and the tenant Secret holds working credentials for it. */
async function ensureCredentials(
  tenant: TenantPlan,
  ctx: ProvisionContext,
  change: (what: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  const { polaris, kubernetes } = ctx;
  const target = tenant.credentialsSecret;
  const fields = { tenant: tenant.tenant, secret: `${target.namespace}/${target.name}` };
  const existing = await kubernetes.getSecret(target.namespace, target.name);
  const principal = await polaris.getPrincipal(tenant.principal);

  let credentials: ClientCredentials;
  if (principal === undefined) {
    credentials = await polaris.createPrincipal(tenant.principal);
    change(`created principal ${tenant.principal}`, fields);
  } else {
    const stored = existing && {
      clientId: existing.data[target.clientIdKey] ?? '',
      clientSecret: existing.data[target.clientSecretKey] ?? '',
    };
    const sameClient =
      stored !== undefined &&
      stored.clientId !== '' &&
      (principal.clientId === undefined || principal.clientId === stored.clientId);
    if (sameClient && (await polaris.credentialsWork(stored))) return;
    credentials = await polaris.resetCredentials(tenant.principal);
    change(`reset credentials of principal ${tenant.principal}`, fields);
  }

  const secret: SecretDocument = {
    namespace: target.namespace,
    name: target.name,
    labels: { ...target.labels, ...MANAGED_BY },
    data: { [target.clientIdKey]: credentials.clientId, [target.clientSecretKey]: credentials.clientSecret },
    resourceVersion: existing?.resourceVersion,
  };
  await kubernetes.writeSecret(secret);
  change(`wrote secret ${target.namespace}/${target.name}`, fields);
}

/** A stable identity of a grant, independent of field order. */
function grantKey(grant: Grant): string {
  const { type, privilege, ...rest } = grant;
  const scope = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`)
    .join(',');
  return `${type}[${scope}]:${privilege}`;
}
