import { HttpError, send } from './http';

/** A principal's client credentials, as Polaris returns them on create, rotate and reset. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The fields of a management-API `Principal` the provisioner reads. */
export interface Principal {
  readonly name: string;
  readonly clientId?: string;
}

/** A management-API `GrantResource` (the `type` discriminates the other fields). */
export interface Grant {
  readonly type: 'catalog' | 'namespace' | 'table' | 'view' | 'policy';
  readonly privilege: string;
  readonly namespace?: readonly string[];
  readonly [field: string]: unknown;
}

/** How Polaris reaches the catalog's S3 storage (AWS outputs, given to the Job by the Pulumi program). */
export interface CatalogStorageAccess {
  /** IAM role Polaris assumes to vend table credentials. */
  readonly roleArn: string;
  /** External ID the role's trust policy requires. */
  readonly externalId: string;
  /** KMS key the bucket encrypts with; vended credentials may use it. */
  readonly kmsKeyArn: string;
}

/** The catalog fields the provisioner sends (an INTERNAL catalog on S3). */
export interface CatalogSpec extends CatalogStorageAccess {
  readonly name: string;
  readonly defaultBaseLocation: string;
  readonly allowedLocations: readonly string[];
  readonly region: string;
}

/** Options of {@link PolarisClient}. */
export interface PolarisClientOptions {
  /** Base URL of the API port (`http://host:8181`). */
  readonly baseUrl: string;
  /** Realm sent in the `Polaris-Realm` header. */
  readonly realm: string;
}

/** Options of {@link PolarisClient.connect}. */
export interface ConnectOptions {
  /** Attempts before giving up while the server is not reachable or not ready. */
  readonly attempts: number;
  /** Pause between attempts. */
  readonly delayMs: number;
}

const enc = encodeURIComponent;

/** A minimal client of the Polaris management API and the two catalog-API calls the provisioner needs (token, namespaces). */
export class PolarisClient {
  private token?: string;

  constructor(private readonly options: PolarisClientOptions) {}

  /**
   * Obtains the root token, retrying while the server is unreachable or answers 5xx (it may still be starting).
   * Wrong credentials fail at once.
   */
  async connect(credentials: ClientCredentials, retry: ConnectOptions): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let token: string | undefined;
      try {
        token = await this.requestToken(credentials);
      } catch (error) {
        const transient = !(error instanceof HttpError) || error.status >= 500;
        if (!transient || attempt >= retry.attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
        continue;
      }
      if (token === undefined) throw new Error('Polaris rejected the root credentials');
      this.token = token;
      return;
    }
  }

  /** True when these credentials obtain a token (used to check credentials already stored in a tenant Secret). */
  async credentialsWork(credentials: ClientCredentials): Promise<boolean> {
    return (await this.requestToken(credentials)) !== undefined;
  }

  /** The catalog, or undefined when it does not exist. */
  getCatalog(name: string): Promise<unknown> {
    return this.management('GET', `/catalogs/${enc(name)}`, undefined, true);
  }

  async createCatalog(spec: CatalogSpec): Promise<void> {
    await this.management('POST', '/catalogs', {
      catalog: {
        type: 'INTERNAL',
        name: spec.name,
        properties: { 'default-base-location': spec.defaultBaseLocation },
        storageConfigInfo: {
          storageType: 'S3',
          roleArn: spec.roleArn,
          externalId: spec.externalId,
          region: spec.region,
          allowedLocations: spec.allowedLocations,
          currentKmsKey: spec.kmsKeyArn,
          allowedKmsKeys: [spec.kmsKeyArn],
        },
      },
    });
  }

  async namespaceExists(catalog: string, namespace: string): Promise<boolean> {
    return (
      (await this.call('GET', `/api/catalog/v1/${enc(catalog)}/namespaces/${enc(namespace)}`, undefined, true)) !==
      undefined
    );
  }

  async createNamespace(catalog: string, namespace: string): Promise<void> {
    await this.call('POST', `/api/catalog/v1/${enc(catalog)}/namespaces`, { namespace: [namespace], properties: {} });
  }

  async catalogRoleExists(catalog: string, role: string): Promise<boolean> {
    return (
      (await this.management('GET', `/catalogs/${enc(catalog)}/catalog-roles/${enc(role)}`, undefined, true)) !==
      undefined
    );
  }

  async createCatalogRole(catalog: string, role: string): Promise<void> {
    await this.management('POST', `/catalogs/${enc(catalog)}/catalog-roles`, { catalogRole: { name: role } });
  }

  async listGrants(catalog: string, role: string): Promise<Grant[]> {
    const body = (await this.management('GET', `/catalogs/${enc(catalog)}/catalog-roles/${enc(role)}/grants`)) as {
      grants: Grant[];
    };
    return body.grants;
  }

  async addGrant(catalog: string, role: string, grant: Grant): Promise<void> {
    await this.management('PUT', `/catalogs/${enc(catalog)}/catalog-roles/${enc(role)}/grants`, { grant });
  }

  async revokeGrant(catalog: string, role: string, grant: Grant): Promise<void> {
    await this.management('POST', `/catalogs/${enc(catalog)}/catalog-roles/${enc(role)}/grants?cascade=false`, {
      grant,
    });
  }

  async principalRoleExists(role: string): Promise<boolean> {
    return (await this.management('GET', `/principal-roles/${enc(role)}`, undefined, true)) !== undefined;
  }

  async createPrincipalRole(role: string): Promise<void> {
    await this.management('POST', '/principal-roles', { principalRole: { name: role } });
  }

  async catalogRolesOfPrincipalRole(principalRole: string, catalog: string): Promise<string[]> {
    const body = (await this.management(
      'GET',
      `/principal-roles/${enc(principalRole)}/catalog-roles/${enc(catalog)}`,
    )) as { roles: { name: string }[] };
    return body.roles.map((r) => r.name);
  }

  async assignCatalogRole(principalRole: string, catalog: string, catalogRole: string): Promise<void> {
    await this.management('PUT', `/principal-roles/${enc(principalRole)}/catalog-roles/${enc(catalog)}`, {
      catalogRole: { name: catalogRole },
    });
  }

  getPrincipal(name: string): Promise<Principal | undefined> {
    return this.management('GET', `/principals/${enc(name)}`, undefined, true) as Promise<Principal | undefined>;
  }

  async createPrincipal(name: string): Promise<ClientCredentials> {
    const body = (await this.management('POST', '/principals', {
      principal: { name, properties: {} },
      credentialRotationRequired: false,
    })) as {
      credentials: ClientCredentials;
    };
    return body.credentials;
  }

  /** Replaces the principal's secret with a new one, returned once. */
  async resetCredentials(name: string): Promise<ClientCredentials> {
    const body = (await this.management('POST', `/principals/${enc(name)}/reset`, {})) as {
      credentials: ClientCredentials;
    };
    return body.credentials;
  }

  async principalRolesOf(principal: string): Promise<string[]> {
    const body = (await this.management('GET', `/principals/${enc(principal)}/principal-roles`)) as {
      roles: { name: string }[];
    };
    return body.roles.map((r) => r.name);
  }

  async assignPrincipalRole(principal: string, principalRole: string): Promise<void> {
    await this.management('PUT', `/principals/${enc(principal)}/principal-roles`, {
      principalRole: { name: principalRole },
    });
  }

  /** POSTs the OAuth client-credentials form; undefined when the credentials are rejected (400/401). */
  private async requestToken(credentials: ClientCredentials): Promise<string | undefined> {
    const url = new URL('/api/catalog/v1/oauth/tokens', this.options.baseUrl);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      scope: 'PRINCIPAL_ROLE:ALL',
    }).toString();
    const res = await send(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Polaris-Realm': this.options.realm },
      body,
    });
    if (res.status === 400 || res.status === 401) return undefined;
    if (res.status !== 200) throw new HttpError('POST', url.pathname, res.status, res.body);
    return (JSON.parse(res.body) as { access_token: string }).access_token;
  }

  private management(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    allowMissing = false,
  ): Promise<unknown> {
    return this.call(method, `/api/management/v1${path}`, body, allowMissing);
  }

  /** A JSON call with the root token; 404 gives undefined when `allowMissing`, any other non-2xx throws. */
  private async call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    allowMissing = false,
  ): Promise<unknown> {
    if (!this.token) throw new Error('connect() must succeed before calling Polaris');
    const url = new URL(path, this.options.baseUrl);
    const res = await send(url, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        'Polaris-Realm': this.options.realm,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (allowMissing && res.status === 404) return undefined;
    if (res.status < 200 || res.status >= 300)
      throw new HttpError(method, url.pathname + url.search, res.status, res.body);
    return res.body ? JSON.parse(res.body) : {};
  }
}
