import { execFile } from 'child_process';
import { sharedDataDir } from '../../config/paths';
import { VERSIONS } from '../../config/versions';

/** One object kubectl-validate rejected. */
export interface KubectlValidateFinding {
  readonly file: string;
  /** Position of the YAML document in the file, counting from 1. */
  readonly document: number;
  /** The Kubernetes version whose built-in schemas rejected it. */
  readonly version: string;
  readonly message: string;
}

/** The versions every manifest is checked against: the cluster's and the 1.28 floor. */
export function kubectlValidateVersions(): string[] {
  return [...new Set([VERSIONS.kubernetes.cluster, VERSIONS.kubernetes.apiFloor])];
}

interface Status {
  readonly status?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly field?: string; readonly message?: string }[] };
}

/**
 * Runs kubectl-validate (apiserver validation code: ObjectMeta, the built-in OpenAPI of each version, CRD structural
 * schemas and CEL rules) over `paths` (files or folders of manifests), with `sharedDataDir('crds')` as local CRDs,
 * once per version of {@link kubectlValidateVersions}, the versions in parallel.
 */
export async function runKubectlValidate(binary: string, paths: readonly string[]): Promise<KubectlValidateFinding[]> {
  const runs = kubectlValidateVersions().map((version) => runOnce(binary, paths, version));
  return servedByCluster((await Promise.all(runs)).flat());
}

const KIND_NOT_SERVED = /^failed to retrieve validator: kind \S+ not found in \S+ groupversion$/;

/**
 * Drops the floor's "kind not found" for objects the cluster version serves and validates (ValidatingAdmissionPolicy
 * is GA only from 1.30): like `npm run validate`, an object must be served by the floor or the cluster version.
 */
function servedByCluster(findings: readonly KubectlValidateFinding[]): KubectlValidateFinding[] {
  const at = (f: KubectlValidateFinding) => `${f.file}#${f.document}`;
  const unservedByCluster = new Set(
    findings.filter((f) => f.version === VERSIONS.kubernetes.cluster && KIND_NOT_SERVED.test(f.message)).map(at),
  );
  return findings.filter(
    (f) =>
      f.version === VERSIONS.kubernetes.cluster || !KIND_NOT_SERVED.test(f.message) || unservedByCluster.has(at(f)),
  );
}

function runOnce(binary: string, paths: readonly string[], version: string): Promise<KubectlValidateFinding[]> {
  const args = [...paths, '--version', version, '--local-crds', sharedDataDir('crds'), '--output', 'json'];
  return new Promise((resolve, reject) =>
    // It exits 1 when something is invalid; the JSON report on stdout says what.
    execFile(binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      let report: Record<string, readonly Status[]>;
      try {
        report = JSON.parse(stdout);
      } catch {
        reject(new Error(`kubectl-validate failed: ${`${stderr}${stdout}`.trim() || error?.message}`));
        return;
      }
      resolve(
        Object.entries(report).flatMap(([file, statuses]) =>
          statuses.flatMap((status, index) => {
            if (status.status === 'Success') return [];
            const causes = status.details?.causes ?? [];
            const messages =
              causes.length > 0
                ? causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message}`)
                : [String(status.message)];
            return messages.map((message) => ({ file, document: index + 1, version, message }));
          }),
        ),
      );
    }),
  );
}

/** `file (document n): message (Kubernetes v)`, the line `npm run validate` prints. */
export function formatKubectlValidateFinding(f: KubectlValidateFinding): string {
  return `${f.file} (document ${f.document}): kubectl-validate: ${f.message} (Kubernetes ${f.version})`;
}
