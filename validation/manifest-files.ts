import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { MANIFEST_FILE_SUFFIX } from '../config';
import { Finding, ManifestObject } from './finding';
import { asObject } from './object-access';

/** The objects of one manifest file, and its documents that are not objects (or not YAML). */
export interface ParsedManifest {
  readonly objects: ManifestObject[];
  readonly findings: Finding[];
}

/**
 * Parses a multi-document manifest the way kubectl reads it: YAML 1.1 (what sigs.k8s.io/yaml decodes, and what cdk8s
 * writes), duplicate keys rejected, empty documents skipped.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  const objects: ManifestObject[] = [];
  const findings: Finding[] = [];
  const lines = new LineCounter();
  parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: false, lineCounter: lines }).forEach(
    (document, index) => {
      const at = { file, document: index + 1 };
      if (document.errors.length > 0) {
        for (const error of document.errors) {
          const { line } = lines.linePos(error.pos[0]);
          findings.push({ ...at, path: '', message: `YAML error at line ${line}: ${error.message.split('\n')[0]}` });
        }
        return;
      }
      const value: unknown = document.toJS();
      if (value === null || value === undefined) return;
      const object = asObject(value);
      if (object === undefined)
        findings.push({
          ...at,
          path: '',
          message: `expected a Kubernetes object, found ${Array.isArray(value) ? 'a list' : typeof value}`,
        });
      else objects.push({ ...at, object });
    },
  );
  return { objects, findings };
}

/** Reads and parses every `*.k8s.yaml` file directly in `dir`, in name order. */
export function readManifestFolder(dir: string): ParsedManifest & { files: string[] } {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(MANIFEST_FILE_SUFFIX))
    .sort()
    .map((name) => path.join(dir, name));
  const parsed = files.map((file) => parseManifest(fs.readFileSync(file, 'utf8'), file));
  return { files, objects: parsed.flatMap((p) => p.objects), findings: parsed.flatMap((p) => p.findings) };
}
