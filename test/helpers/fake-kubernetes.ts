import * as http from 'http';
import { FakeServer, RecordedRequest } from './fake-server';

/** A stored Secret. */
export interface StoredSecret {
  readonly namespace: string;
  readonly name: string;
  readonly resourceVersion: string;
  readonly labels: Record<string, string>;
  /** Decoded values. */
  readonly data: Record<string, string>;
}

/** An RBAC rule as a Role states it (only what Secrets need). */
export interface SecretRule {
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

const SECRET = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The Secrets part of the Kubernetes API on 127.0.0.1: get, create (409 when present) and replace (409 on a stale
 * resourceVersion), for one bearer token, authorized by the given Role rules per namespace, with bodies checked for the
 * shape the API server requires. Serves https when given a key and certificate.
 *
 * A stand-in: no kube-apiserver can be built or downloaded on this machine (k8s.io/kubernetes cannot be `go install`ed).
 */
export class FakeKubernetes extends FakeServer {
  readonly secrets = new Map<string, StoredSecret>();
  private version = 100;

  constructor(
    readonly token: string,
    /** Namespace -> the rules the caller's Role grants there; other namespaces deny everything. */
    readonly rules: ReadonlyMap<string, readonly SecretRule[]>,
    tls?: { key: string; cert: string },
  ) {
    super(tls);
  }

  /** Writes (create or replace) received since `since`. */
  writes(since = 0): RecordedRequest[] {
    return this.requests.slice(since).filter((r) => r.method !== 'GET');
  }

  /** Stores a Secret as if written earlier. */
  seed(namespace: string, name: string, data: Record<string, string>): void {
    this.secrets.set(`${namespace}/${name}`, {
      namespace,
      name,
      data,
      labels: {},
      resourceVersion: String(++this.version),
    });
  }

  protected handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://127.0.0.1');
    const method = req.method!;
    const reply = (status: number, body: unknown) => {
      this.requests.push({ method, path: url.pathname, body: raw ? JSON.parse(raw) : undefined, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string) =>
      reply(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });

    const m = SECRET.exec(url.pathname);
    if (!m) {
      this.violations.push(`${method} ${url.pathname} is not a Secrets path`);
      return status(404, 'NotFound', 'no such path');
    }
    const [, namespace, name] = m;
    if (req.headers.authorization !== `Bearer ${this.token}`) return status(401, 'Unauthorized', 'bad token');
    const verb = { GET: 'get', POST: 'create', PUT: 'update' }[method];
    const allowed =
      verb !== undefined &&
      (this.rules.get(namespace) ?? []).some(
        (r) =>
          r.resources.includes('secrets') &&
          r.verbs.includes(verb) &&
          (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))),
      );
    if (!allowed || (method === 'POST') !== (name === undefined)) {
      this.violations.push(
        `${verb ?? method} of secret ${namespace}/${name ?? '(collection)'} is not allowed by the Role`,
      );
      return status(403, 'Forbidden', `cannot ${verb} secrets in ${namespace}`);
    }
    if (this.takeFailure({ method, path: url.pathname })) return status(500, 'InternalError', 'injected failure');
    const key = (n: string) => `${namespace}/${n}`;
    if (method === 'GET') {
      const s = this.secrets.get(key(name));
      if (!s) return status(404, 'NotFound', `secrets "${name}" not found`);
      return reply(200, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name, namespace, resourceVersion: s.resourceVersion, labels: s.labels },
        data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      });
    }

    const doc = JSON.parse(raw);
    const problems = this.shapeProblems(doc, namespace, name);
    if (problems.length > 0) {
      this.violations.push(...problems);
      return status(422, 'Invalid', problems.join('; '));
    }
    const target = key(doc.metadata.name);
    const existing = this.secrets.get(target);
    if (method === 'POST' && existing)
      return status(409, 'AlreadyExists', `secrets "${doc.metadata.name}" already exists`);
    if (method === 'PUT') {
      if (!existing) return status(404, 'NotFound', `secrets "${name}" not found`);
      if (doc.metadata.resourceVersion !== existing.resourceVersion)
        return status(409, 'Conflict', 'the object has been modified');
    }
    const stored: StoredSecret = {
      namespace,
      name: doc.metadata.name,
      resourceVersion: String(++this.version),
      labels: doc.metadata.labels ?? {},
      data: Object.fromEntries(
        Object.entries(doc.data as Record<string, string>).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString('utf8'),
        ]),
      ),
    };
    this.secrets.set(target, stored);
    reply(method === 'POST' ? 201 : 200, {
      ...doc,
      metadata: { ...doc.metadata, resourceVersion: stored.resourceVersion },
    });
  }

  /** What the API server would reject in a Secret body. */
  private shapeProblems(doc: any, namespace: string, name: string | undefined): string[] {
    const problems: string[] = [];
    if (doc?.apiVersion !== 'v1' || doc?.kind !== 'Secret') problems.push('body is not a v1 Secret');
    if (doc?.metadata?.namespace !== undefined && doc.metadata.namespace !== namespace)
      problems.push('metadata.namespace differs from the path');
    if (name !== undefined && doc?.metadata?.name !== name) problems.push('metadata.name differs from the path');
    if (typeof doc?.metadata?.name !== 'string') problems.push('metadata.name is missing');
    for (const [k, v] of Object.entries(doc?.data ?? {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k)) problems.push(`data key ${k} is invalid`);
      if (typeof v !== 'string' || !BASE64.test(v)) problems.push(`data.${k} is not base64`);
    }
    for (const [k, v] of Object.entries(doc?.metadata?.labels ?? {})) {
      if (typeof v !== 'string' || v.length > 63) problems.push(`label ${k} is invalid`);
    }
    return problems;
  }
}
