/**
 * The provisioning plan: everything the provisioner does, rendered at synth into a ConfigMap (`plan.json`) by the
 * `PolarisProvisioning` construct. Only the catalog's IAM role ARN comes from the environment, because it is an AWS output.
 * This module is shared by the construct (types and privilege sets) and the Job (parsing), and imports nothing.
 */

/** Namespace-level privileges of the Polaris management API (`NamespacePrivilege` in the spec) that plans may grant. */
export type NamespacePrivilege =
  | 'NAMESPACE_READ_PROPERTIES'
  | 'TABLE_LIST'
  | 'TABLE_READ_PROPERTIES'
  | 'TABLE_READ_DATA'
  | 'TABLE_CREATE'
  | 'TABLE_WRITE_PROPERTIES'
  | 'TABLE_WRITE_DATA';

/** What read access (audits) grants on a namespace: list, load and read tables. */
export const READ_PRIVILEGES: readonly NamespacePrivilege[] = [
  'NAMESPACE_READ_PROPERTIES',
  'TABLE_LIST',
  'TABLE_READ_PROPERTIES',
  'TABLE_READ_DATA',
];

/**
 * What write access (offload and maintenance) grants on a namespace: create tables, set their properties and commit
 * snapshots. TABLE_WRITE_DATA includes reading and every snapshot operation the maintenance procedures use.
 */
export const WRITE_PRIVILEGES: readonly NamespacePrivilege[] = [
  'NAMESPACE_READ_PROPERTIES',
  'TABLE_LIST',
  'TABLE_READ_PROPERTIES',
  'TABLE_CREATE',
  'TABLE_WRITE_PROPERTIES',
  'TABLE_WRITE_DATA',
];

const PRIVILEGES = new Set<string>(WRITE_PRIVILEGES.concat(READ_PRIVILEGES));

/** Privileges one catalog role holds on one namespace. */
export interface NamespaceGrantPlan {
  readonly namespace: string;
  readonly privileges: readonly NamespacePrivilege[];
}

/** Where a tenant's client credentials are written. */
export interface CredentialsSecretPlan {
  readonly namespace: string;
  readonly name: string;
  readonly clientIdKey: string;
  readonly clientSecretKey: string;
  /** Labels stamped on the Secret (tenant, environment). */
  readonly labels: Readonly<Record<string, string>>;
}

/** One tenant: its principal, principal role and catalog role with exactly these grants. */
export interface TenantPlan {
  readonly tenant: string;
  readonly principal: string;
  readonly principalRole: string;
  readonly catalogRole: string;
  readonly grants: readonly NamespaceGrantPlan[];
  readonly credentialsSecret: CredentialsSecretPlan;
}

/** The catalog every tenant shares. */
export interface CatalogPlan {
  readonly name: string;
  /** Where new namespaces and tables are placed (`s3://bucket/prefix/`). */
  readonly defaultBaseLocation: string;
  /** The only locations tables may use. */
  readonly allowedLocations: readonly string[];
  /** AWS region of the warehouse bucket. */
  readonly region: string;
}

export interface ProvisioningPlan {
  /** Format version of this document. */
  readonly version: 1;
  /** Base URL of the Polaris API port, e.g. `http://polaris.polaris.svc.cluster.local:8181`. */
  readonly polarisUrl: string;
  readonly realm: string;
  readonly catalog: CatalogPlan;
  /** Catalog namespaces to create (every namespace some tenant is granted). */
  readonly namespaces: readonly string[];
  readonly tenants: readonly TenantPlan[];
}

/** Raised when the plan document is malformed; lists every problem. */
export class PlanError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid provisioning plan:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlanError';
  }
}

/** Parses and checks a plan document; throws {@link PlanError} with every problem found. */
export function parsePlan(text: string): ProvisioningPlan {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new PlanError([`not JSON: ${(error as Error).message}`]);
  }
  const problems: string[] = [];
  const str = (v: unknown, at: string): void => {
    if (typeof v !== 'string' || v.length === 0) problems.push(`${at} must be a non-empty string`);
  };
  const list = (v: unknown, at: string): v is unknown[] => {
    if (!Array.isArray(v)) problems.push(`${at} must be a list`);
    return Array.isArray(v);
  };

  if (doc?.version !== 1) problems.push('version must be 1');
  str(doc?.polarisUrl, 'polarisUrl');
  str(doc?.realm, 'realm');
  str(doc?.catalog?.name, 'catalog.name');
  str(doc?.catalog?.defaultBaseLocation, 'catalog.defaultBaseLocation');
  str(doc?.catalog?.region, 'catalog.region');
  if (list(doc?.catalog?.allowedLocations, 'catalog.allowedLocations')) {
    doc.catalog.allowedLocations.forEach((l: unknown, i: number) => str(l, `catalog.allowedLocations[${i}]`));
  }
  if (list(doc?.namespaces, 'namespaces'))
    doc.namespaces.forEach((n: unknown, i: number) => str(n, `namespaces[${i}]`));
  if (list(doc?.tenants, 'tenants')) {
    doc.tenants.forEach((t: any, i: number) => {
      for (const key of ['tenant', 'principal', 'principalRole', 'catalogRole']) str(t?.[key], `tenants[${i}].${key}`);
      for (const key of ['namespace', 'name', 'clientIdKey', 'clientSecretKey'])
        str(t?.credentialsSecret?.[key], `tenants[${i}].credentialsSecret.${key}`);
      if (list(t?.grants, `tenants[${i}].grants`)) {
        t.grants.forEach((g: any, j: number) => {
          str(g?.namespace, `tenants[${i}].grants[${j}].namespace`);
          if (g?.namespace && !doc.namespaces?.includes?.(g.namespace))
            problems.push(`tenants[${i}].grants[${j}].namespace ${g.namespace} is not in namespaces`);
          if (list(g?.privileges, `tenants[${i}].grants[${j}].privileges`)) {
            for (const p of g.privileges)
              if (!PRIVILEGES.has(p))
                problems.push(`tenants[${i}].grants[${j}] has unknown privilege ${JSON.stringify(p)}`);
          }
        });
      }
    });
  }
  if (problems.length > 0) throw new PlanError(problems);
  return doc as ProvisioningPlan;
}
