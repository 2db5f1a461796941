import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DataPlaneError } from '../config';
import { SCHEMA_DATA_FILES, SchemaDataFile } from './schema-data-sources';

/** Where raw files of a GitHub repository are served by commit. */
export const GITHUB_RAW_BASE_URL = 'https://raw.githubusercontent.com';

/** Options of {@link fetchSchemaData}. */
export interface FetchSchemaDataOptions {
  /**
   * Base URL the files are requested from, as `<base>/<owner>/<name>/<commit>/<path>`.
   * @default GITHUB_RAW_BASE_URL
   */
  readonly baseUrl?: string;
  /**
   * The files to fetch.
   * @default SCHEMA_DATA_FILES
   */
  readonly files?: readonly SchemaDataFile[];
}

/** `git hash-object` of some bytes. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The URL one file is fetched from. */
export function schemaDataUrl(file: SchemaDataFile, baseUrl = GITHUB_RAW_BASE_URL): string {
  return `${baseUrl}/${file.repository}/${file.commit}/${file.path}`;
}

/**
 * Fetches every pinned data file into `<dir>/<kind>/<file>` (the layout `DATAPLANE_SHARED_DIR` points at), each
 * checked against its git blob id before it is written. Files already present with the right blob are kept. Every
 * file that cannot be had or does not match is reported at once; nothing that failed its check is written.
 * @returns the files written or already present
 */
export async function fetchSchemaData(dir: string, options: FetchSchemaDataOptions = {}): Promise<string[]> {
  const files = options.files ?? SCHEMA_DATA_FILES;
  const problems: string[] = [];
  const done: string[] = [];
  for (const file of files) {
    const target = path.join(dir, file.kind, file.file);
    if (fs.existsSync(target) && gitBlobId(fs.readFileSync(target)) === file.gitBlob) {
      done.push(target);
      continue;
    }
    const url = schemaDataUrl(file, options.baseUrl);
    let bytes: Uint8Array;
    try {
      const response = await fetch(url);
      if (!response.ok) {
        problems.push(`${url}: HTTP ${response.status}; expected the file ${file.kind}/${file.file}`);
        continue;
      }
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      problems.push(`${url}: ${(error as Error).message}; expected the file ${file.kind}/${file.file}`);
      continue;
    }
    const blob = gitBlobId(bytes);
    if (blob !== file.gitBlob) {
      problems.push(`${url}: git blob ${blob}; expected ${file.gitBlob}, the pinned ${file.kind}/${file.file}`);
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
    done.push(target);
  }
  if (problems.length > 0) throw new DataPlaneError('schema data', problems);
  return done;
}
