import * as fs from 'fs';
import * as path from 'path';
import { HttpError, send } from './http';

/** A Secret as the provisioner writes it: string values, labels, and the version to replace. */
export interface SecretDocument {
  readonly name: string;
  readonly namespace: string;
  /** Decoded values. */
  readonly data: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Set on Secrets read from the API; a replace sends it back so a concurrent change fails instead of being lost. */
  readonly resourceVersion?: string;
}

/** Options of {@link KubernetesClient}. */
export interface KubernetesClientOptions {
  /** API server URL. */
  readonly baseUrl: string;
  /** Bearer token (the pod's service-account token in cluster). */
  readonly token: string;
  /** CA bundle that signs the API server certificate. */
  readonly ca?: string | Buffer;
}

/** Where a pod finds its service-account credentials. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The three Secret calls the provisioner needs, over the Kubernetes REST API with Node's built-in client. */
export class KubernetesClient {
  constructor(private readonly options: KubernetesClientOptions) {}

  /** The in-cluster client: API address from the service environment, token and CA from the mounted service account. */
  static inCluster(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): KubernetesClient {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    if (!host) throw new Error('KUBERNETES_SERVICE_HOST is not set: not running in a cluster');
    return new KubernetesClient({
      baseUrl: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      token: fs.readFileSync(path.join(dir, 'token'), 'utf8').trim(),
      ca: fs.readFileSync(path.join(dir, 'ca.crt')),
    });
  }

  /** The Secret decoded, or undefined when it does not exist. */
  async getSecret(namespace: string, name: string): Promise<SecretDocument | undefined> {
    const res = await this.request('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
    if (res.status === 404) return undefined;
    this.expect(res, 'GET', 200);
    const secret = JSON.parse(res.body) as {
      metadata: { resourceVersion: string; labels?: Record<string, string> };
      data?: Record<string, string>;
    };
    const data = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    return { name, namespace, data, labels: secret.metadata.labels, resourceVersion: secret.metadata.resourceVersion };
  }

  /** Creates the Secret, or replaces it when `resourceVersion` is set. */
  async writeSecret(secret: SecretDocument): Promise<void> {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: secret.name,
        namespace: secret.namespace,
        labels: secret.labels,
        resourceVersion: secret.resourceVersion,
      },
      data: Object.fromEntries(
        Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
      ),
    });
    const collection = `/api/v1/namespaces/${secret.namespace}/secrets`;
    if (secret.resourceVersion === undefined) {
      this.expect(await this.request('POST', collection, body), 'POST', 201);
    } else {
      this.expect(await this.request('PUT', `${collection}/${secret.name}`, body), 'PUT', 200);
    }
  }

  private request(method: 'GET' | 'POST' | 'PUT', path: string, body?: string) {
    return send(new URL(path, this.options.baseUrl), {
      method,
      headers: {
        Authorization: `Bearer ${this.options.token}`,
        Accept: 'application/json',
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body,
      ca: this.options.ca,
    });
  }

  private expect(res: { status: number; body: string }, method: string, status: number): void {
    if (res.status !== status) throw new HttpError(method, 'kubernetes secrets', res.status, res.body);
  }
}
