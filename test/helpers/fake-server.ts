import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';

/** What a failure rule sees of a request. */
export interface FailureRequest {
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly body?: unknown;
}

/** Chooses the requests a fake fails once. */
export type FailureRule = (request: FailureRequest) => boolean;

/** A request a fake received, with the status it answered. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly body?: unknown;
  readonly status: number;
}

/**
 * The part every fake server of the tests shares: listening on a free port of 127.0.0.1 (https when given a key and
 * certificate), reading whole request bodies, and failing chosen requests once.
 */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  private readonly failures: FailureRule[] = [];
  private server?: http.Server;

  protected constructor(private readonly tls?: { key: string; cert: string }) {}

  /** Base URL once started. */
  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    };
    this.server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Fails the next request matching `rule` with a 500. */
  failOnce(rule: FailureRule): void {
    this.failures.push(rule);
  }

  /** True (and forgotten) when a failure rule matches this request. */
  protected takeFailure(request: FailureRequest): boolean {
    const i = this.failures.findIndex((rule) => rule(request));
    if (i < 0) return false;
    this.failures.splice(i, 1);
    return true;
  }

  protected abstract handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void;
}
