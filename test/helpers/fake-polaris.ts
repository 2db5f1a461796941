import * as http from 'http';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { sharedDataDir } from '../../config';
import { FakeServer, RecordedRequest } from './fake-server';
import { OpenApiContract } from './openapi-contract';

interface PrincipalState {
  clientId: string;
  clientSecret: string;
  entityVersion: number;
  roles: Set<string>;
}

interface CatalogState {
  body: Record<string, any>;
  roles: Map<string, { grants: Record<string, any>[] }>;
  namespaces: Set<string>;
}

/** Observable state of the fake, for assertions. */
export interface PolarisState {
  catalogs: Map<string, CatalogState>;
  principals: Map<string, PrincipalState>;
  /** Principal role -> catalog -> catalog roles. */
  principalRoles: Map<string, Map<string, Set<string>>>;
}

let contract: OpenApiContract | undefined;

/** The Polaris management API plus the OAuth and namespace endpoints of the catalog API, from the vendored 1.7.0 specs. */
export function polarisContract(): OpenApiContract {
  contract ??= new OpenApiContract([
    { file: path.join(sharedDataDir('specs'), 'polaris-management-service.yml'), basePath: '/api/management/v1' },
    {
      file: path.join(sharedDataDir('specs'), 'polaris-catalog-apis', 'oauth-tokens-api.yaml'),
      basePath: '/api/catalog',
    },
    { file: path.join(sharedDataDir('specs'), 'iceberg-rest-catalog-open-api.yaml'), basePath: '/api/catalog' },
  ]);
  return contract;
}

const MUTATING = new Set(['POST', 'PUT', 'DELETE']);

/**
 * A stateful stand-in for Polaris on 127.0.0.1. Every request is checked against the OpenAPI specs (operation, path and
 * query parameters, content type, body) and every response it sends is checked too; a request that breaks the contract
 * is answered 400 and listed in `violations`. It keeps catalogs, namespaces, roles, grants and principals, answers 409 on
 * duplicates and 404 on missing objects like the server does, and can be told to fail a chosen request once.
 *
 * A stand-in, not Polaris: no Polaris server can be assembled on this machine (its Maven Central serves no
 * `org.apache.polaris:polaris-runtime-service` 1.7.0 and not the `org.apache.polaris:polaris` parent POM, see
 * `VERSIONS.localPlane`), so the provisioner's calls are proven against the vendored 1.7.0 specs only, not against
 * Polaris' authorization or credential vending.
 */
export class FakePolaris extends FakeServer {
  readonly state: PolarisState = { catalogs: new Map(), principals: new Map(), principalRoles: new Map() };
  private readonly tokens = new Map<string, string>();
  private unavailableFor = 0;

  constructor(
    readonly realm: string,
    readonly root: { clientId: string; clientSecret: string },
  ) {
    super();
    this.state.principals.set('root', { ...root, entityVersion: 1, roles: new Set(['service_admin']) });
    this.state.principalRoles.set('service_admin', new Map());
  }

  /** Answers the next `count` requests with 503, as a server that is still starting. */
  unavailable(count: number): void {
    this.unavailableFor = count;
  }

  /** Requests that change state (token requests excluded). */
  mutations(since = 0): RecordedRequest[] {
    return this.requests.slice(since).filter((r) => MUTATING.has(r.method) && r.operationId !== 'getToken');
  }

  /** Rotates a principal's secret behind the provisioner's back (as an operator would). */
  rotate(principal: string): void {
    this.state.principals.get(principal)!.clientSecret = randomBytes(16).toString('hex');
  }

  /** True when these credentials obtain a token for the realm. */
  authenticates(clientId: string, clientSecret: string): boolean {
    return [...this.state.principals.values()].some((p) => p.clientId === clientId && p.clientSecret === clientSecret);
  }

  /** Adds a catalog as if created earlier (with the server's own catalog_admin role). */
  seedCatalog(body: Record<string, any>): void {
    this.state.catalogs.set(body.name, {
      body: { ...body, entityVersion: 1 },
      roles: new Map([['catalog_admin', { grants: [] }]]),
      namespaces: new Set(),
    });
  }

  /** Adds a principal as if created earlier; its secret is known only to the fake. */
  seedPrincipal(name: string): void {
    this.state.principals.set(name, {
      clientId: randomBytes(8).toString('hex'),
      clientSecret: randomBytes(16).toString('hex'),
      entityVersion: 1,
      roles: new Set(),
    });
  }

  protected handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://127.0.0.1');
    const method = req.method!;
    const check = polarisContract().checkRequest(method, url, req.headers['content-type'], raw);
    const operationId = check.matched?.operationId;
    // Injected failures and the 400s for contract violations are the fake's own answers, not the server's contract.
    const reply = (status: number, body?: unknown, injected = false) => {
      if (operationId && status !== 400 && !injected) {
        for (const problem of polarisContract().checkResponse(operationId, status, body))
          this.violations.push(`fake answered badly: ${problem}`);
      }
      this.requests.push({ method, path: url.pathname + url.search, operationId, body: check.body, status });
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };

    if (this.unavailableFor > 0) {
      this.unavailableFor--;
      return reply(503, { error: { message: 'starting', type: 'ServiceUnavailableException', code: 503 } }, true);
    }
    if (check.problems.length > 0) {
      this.violations.push(...check.problems);
      return reply(400, { error: { message: check.problems.join('; '), type: 'BadRequestException', code: 400 } });
    }
    if (req.headers['polaris-realm'] !== this.realm) {
      this.violations.push(`${operationId} sent realm ${JSON.stringify(req.headers['polaris-realm'])}`);
      return reply(404, { error: { message: 'unknown realm', type: 'NotFoundException', code: 404 } });
    }
    if (this.takeFailure({ method, path: url.pathname, operationId, body: check.body })) {
      return reply(500, { error: { message: 'injected failure', type: 'RuntimeException', code: 500 } }, true);
    }
    if (operationId === 'getToken') return this.token(check.body as Record<string, string>, reply);
    const caller = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (caller !== 'root')
      return reply(caller ? 403 : 401, {
        error: { message: 'not authorized', type: 'NotAuthorizedException', code: caller ? 403 : 401 },
      });
    this.operate(operationId!, check.matched!.params, check.body as Record<string, any>, reply);
  }

  private token(form: Record<string, string>, reply: (status: number, body?: unknown) => void): void {
    const entry = [...this.state.principals.entries()].find(
      ([, p]) => p.clientId === form.client_id && p.clientSecret === form.client_secret,
    );
    if (!entry) return reply(401, { error: 'invalid_client', error_description: 'bad credentials' });
    if (form.scope !== 'PRINCIPAL_ROLE:ALL') return reply(400, { error: 'invalid_scope' });
    const token = randomBytes(12).toString('hex');
    this.tokens.set(token, entry[0]);
    reply(200, {
      access_token: token,
      token_type: 'bearer',
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      expires_in: 3600,
    });
  }

  private operate(
    op: string,
    p: Record<string, string>,
    body: Record<string, any>,
    reply: (status: number, body?: unknown) => void,
  ): void {
    const s = this.state;
    const missing = (what: string) =>
      reply(404, { error: { message: `${what} not found`, type: 'NotFoundException', code: 404 } });
    const conflict = (what: string) =>
      reply(409, { error: { message: `${what} already exists`, type: 'AlreadyExistsException', code: 409 } });
    const catalog = p.catalogName ?? p.prefix;
    const cat = catalog === undefined ? undefined : s.catalogs.get(catalog);
    const principalView = (name: string) => {
      const pr = s.principals.get(name)!;
      return {
        name,
        clientId: pr.clientId,
        properties: {},
        entityVersion: pr.entityVersion,
        createTimestamp: 0,
        lastUpdateTimestamp: 0,
      };
    };
    switch (op) {
      case 'getCatalog':
        return cat ? reply(200, cat.body) : missing(`catalog ${catalog}`);
      case 'createCatalog': {
        if (s.catalogs.has(body.catalog.name)) return conflict(`catalog ${body.catalog.name}`);
        this.seedCatalog(body.catalog);
        s.principalRoles.get('service_admin')!.set(body.catalog.name, new Set(['catalog_admin']));
        return reply(201, s.catalogs.get(body.catalog.name)!.body);
      }
      case 'loadNamespaceMetadata':
        if (!cat) return missing(`catalog ${catalog}`);
        return cat.namespaces.has(p.namespace)
          ? reply(200, { namespace: [p.namespace], properties: {} })
          : missing(`namespace ${p.namespace}`);
      case 'createNamespace': {
        if (!cat) return missing(`catalog ${catalog}`);
        const ns = (body.namespace as string[]).join('.');
        if (cat.namespaces.has(ns)) return conflict(`namespace ${ns}`);
        cat.namespaces.add(ns);
        return reply(200, { namespace: body.namespace, properties: body.properties ?? {} });
      }
      case 'getCatalogRole':
        return cat?.roles.has(p.catalogRoleName)
          ? reply(200, { name: p.catalogRoleName, properties: {}, entityVersion: 1 })
          : missing(`catalog role ${p.catalogRoleName}`);
      case 'createCatalogRole':
        if (!cat) return missing(`catalog ${catalog}`);
        if (cat.roles.has(body.catalogRole.name)) return conflict(`catalog role ${body.catalogRole.name}`);
        cat.roles.set(body.catalogRole.name, { grants: [] });
        return reply(201, { name: body.catalogRole.name, properties: {}, entityVersion: 1 });
      case 'listGrantsForCatalogRole': {
        const role = cat?.roles.get(p.catalogRoleName);
        return role ? reply(200, { grants: role.grants }) : missing(`catalog role ${p.catalogRoleName}`);
      }
      case 'addGrantToCatalogRole': {
        const role = cat?.roles.get(p.catalogRoleName);
        if (!role) return missing(`catalog role ${p.catalogRoleName}`);
        if (body.grant.namespace && !cat!.namespaces.has(body.grant.namespace.join('.')))
          return missing(`namespace ${body.grant.namespace}`);
        // Granting a held privilege again is a no-op, as in Polaris.
        if (!role.grants.some((g) => sameGrant(g, body.grant))) role.grants.push(body.grant);
        return reply(201);
      }
      case 'revokeGrantFromCatalogRole': {
        const role = cat?.roles.get(p.catalogRoleName);
        if (!role) return missing(`catalog role ${p.catalogRoleName}`);
        role.grants = role.grants.filter((g) => !sameGrant(g, body.grant));
        return reply(201);
      }
      case 'getPrincipalRole':
        return s.principalRoles.has(p.principalRoleName)
          ? reply(200, { name: p.principalRoleName, federated: false, properties: {}, entityVersion: 1 })
          : missing(`principal role ${p.principalRoleName}`);
      case 'createPrincipalRole':
        if (s.principalRoles.has(body.principalRole.name)) return conflict(`principal role ${body.principalRole.name}`);
        s.principalRoles.set(body.principalRole.name, new Map());
        return reply(201, { name: body.principalRole.name, federated: false, properties: {}, entityVersion: 1 });
      case 'listCatalogRolesForPrincipalRole': {
        const roles = s.principalRoles.get(p.principalRoleName);
        if (!roles) return missing(`principal role ${p.principalRoleName}`);
        return reply(200, { roles: [...(roles.get(catalog) ?? [])].map((name) => ({ name, properties: {} })) });
      }
      case 'assignCatalogRoleToPrincipalRole': {
        const roles = s.principalRoles.get(p.principalRoleName);
        if (!roles) return missing(`principal role ${p.principalRoleName}`);
        if (!cat?.roles.has(body.catalogRole.name)) return missing(`catalog role ${body.catalogRole.name}`);
        roles.set(catalog, new Set([...(roles.get(catalog) ?? []), body.catalogRole.name]));
        return reply(201);
      }
      case 'getPrincipal':
        return s.principals.has(p.principalName)
          ? reply(200, principalView(p.principalName))
          : missing(`principal ${p.principalName}`);
      case 'createPrincipal': {
        const name = body.principal.name as string;
        if (s.principals.has(name)) return conflict(`principal ${name}`);
        this.seedPrincipal(name);
        const pr = s.principals.get(name)!;
        return reply(201, {
          principal: principalView(name),
          credentials: { clientId: pr.clientId, clientSecret: pr.clientSecret },
        });
      }
      case 'resetCredentials': {
        const pr = s.principals.get(p.principalName);
        if (!pr) return missing(`principal ${p.principalName}`);
        pr.clientSecret = body?.clientSecret ?? randomBytes(16).toString('hex');
        pr.entityVersion++;
        return reply(200, {
          principal: principalView(p.principalName),
          credentials: { clientId: pr.clientId, clientSecret: pr.clientSecret },
        });
      }
      case 'listPrincipalRolesAssigned': {
        const pr = s.principals.get(p.principalName);
        return pr
          ? reply(200, { roles: [...pr.roles].map((name) => ({ name, federated: false, properties: {} })) })
          : missing(`principal ${p.principalName}`);
      }
      case 'assignPrincipalRole': {
        const pr = s.principals.get(p.principalName);
        if (!pr) return missing(`principal ${p.principalName}`);
        if (!s.principalRoles.has(body.principalRole.name)) return missing(`principal role ${body.principalRole.name}`);
        pr.roles.add(body.principalRole.name);
        return reply(201);
      }
      default:
        this.violations.push(`the fake does not implement ${op}`);
        return reply(501, {
          error: { message: `${op} not implemented`, type: 'UnsupportedOperationException', code: 501 },
        });
    }
  }
}

function sameGrant(a: Record<string, any>, b: Record<string, any>): boolean {
  const norm = (g: Record<string, any>) =>
    JSON.stringify(
      Object.keys(g)
        .sort()
        .map((k) => [k, g[k]]),
    );
  return norm(a) === norm(b);
}
