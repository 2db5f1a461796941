import * as http from 'http';
import * as https from 'https';

/** A response read to the end. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Options of {@link send}. */
export interface SendOptions {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** CA bundle for https (the in-cluster service-account CA). */
  readonly ca?: string | Buffer;
  /** Socket timeout. */
  readonly timeoutMs?: number;
}

/** A response with an unexpected status. The body is kept for the message; no API this job calls echoes secrets on error. */
export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

/** One HTTP(S) request with Node's built-in client. */
export function send(url: URL, options: SendOptions): Promise<HttpResponse> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body !== undefined ? { 'Content-Length': Buffer.byteLength(options.body) } : {}),
        },
        ca: options.ca,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${url.href} timed out`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
