import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { DataPlaneError, sharedDataDir } from '../../config';
import { fetchSchemaData, gitBlobId, SCHEMA_DATA_FILES, SchemaDataFile } from '../../validation';

const KINDS = ['schemas', 'crds', 'specs'] as const;
const local = (f: SchemaDataFile) => path.join(sharedDataDir(f.kind), f.file);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p).map((f) => path.join(e.name, f)) : e.name === 'SOURCES.md' ? [] : [e.name];
  });
}

describe('the pinned schema data sources', () => {
  test('name every file the validator reads, each with the git blob id of the bytes it reads', () => {
    for (const kind of KINDS) {
      const listed = SCHEMA_DATA_FILES.filter((f) => f.kind === kind).map((f) => f.file);
      expect(listed.sort()).toEqual(filesUnder(sharedDataDir(kind)).sort());
    }
    const mismatched = SCHEMA_DATA_FILES.filter((f) => gitBlobId(fs.readFileSync(local(f))) !== f.gitBlob);
    expect(mismatched.map((f) => f.file)).toEqual([]);
  });

  test('the blob id is what git hash-object computes', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('hello\n'), fs.readFileSync(local(SCHEMA_DATA_FILES[0]))]) {
      const git = execFileSync('git', ['hash-object', '--stdin'], { input: bytes, encoding: 'utf8' }).trim();
      expect(gitBlobId(bytes)).toBe(git);
    }
  });
});

describe('npm run schema-data', () => {
  // A stand-in for raw.githubusercontent.com (no other host is reachable here): it serves each pinned file's bytes at
  // `/<repository>/<commit>/<path>`, or what `tamper` makes of them.
  let server: http.Server;
  let baseUrl: string;
  let requests: string[];
  let tamper: (url: string, bytes: Buffer) => Buffer | undefined;
  let out: string;

  beforeAll(async () => {
    const byUrl = new Map(SCHEMA_DATA_FILES.map((f) => [`/${f.repository}/${f.commit}/${f.path}`, f]));
    server = http.createServer((req, res) => {
      requests.push(req.url!);
      const file = byUrl.get(req.url!);
      const bytes = file && tamper(req.url!, fs.readFileSync(local(file)));
      res.writeHead(bytes ? 200 : 404).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = [];
    tamper = (_, bytes) => bytes;
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-data-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  test('fetches every file by commit into the layout DATAPLANE_SHARED_DIR reads, and a rerun fetches nothing', async () => {
    const written = await fetchSchemaData(out, { baseUrl });
    expect(written).toHaveLength(SCHEMA_DATA_FILES.length);
    for (const f of SCHEMA_DATA_FILES)
      expect(fs.readFileSync(path.join(out, f.kind, f.file)).equals(fs.readFileSync(local(f)))).toBe(true);
    requests = [];
    await fetchSchemaData(out, { baseUrl });
    expect(requests).toEqual([]);
  });

  test('refuses a file whose bytes are not the pinned blob, and one that cannot be had; writes neither', async () => {
    const [first, second] = SCHEMA_DATA_FILES.slice(1, 3);
    tamper = (url, bytes) =>
      url.endsWith(first.path)
        ? Buffer.concat([bytes, Buffer.from(' ')])
        : url.endsWith(second.path)
          ? undefined
          : bytes;
    let error: unknown;
    await fetchSchemaData(out, { baseUrl }).catch((e) => (error = e));
    expect(error).toBeInstanceOf(DataPlaneError);
    const tampered = Buffer.concat([fs.readFileSync(local(first)), Buffer.from(' ')]);
    expect((error as DataPlaneError).problems).toEqual([
      `${baseUrl}/${first.repository}/${first.commit}/${first.path}: git blob ${gitBlobId(tampered)}; expected ${first.gitBlob}, the pinned ${first.kind}/${first.file}`,
      `${baseUrl}/${second.repository}/${second.commit}/${second.path}: HTTP 404; expected the file ${second.kind}/${second.file}`,
    ]);
    expect(fs.existsSync(path.join(out, first.kind, first.file))).toBe(false);
    expect(fs.existsSync(path.join(out, second.kind, second.file))).toBe(false);
  });
});
