/**
 * The S3 general purpose bucket naming rules (Amazon S3 user guide, "General purpose bucket naming rules"): what
 * CreateBucket refuses, checked before anything is synthesized or deployed.
 */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/** The expected form, as messages give it. */
export const BUCKET_NAME_EXPECTED =
  'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit';

/** Why S3 would refuse `name` as a bucket name, or undefined when it would not. */
export function bucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return BUCKET_NAME_EXPECTED;
  const refused = 'an S3 bucket name S3 accepts';
  if (name.includes('..')) return `${refused}: no two adjacent periods`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `${refused}: not formatted as an IP address`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `${refused}: not starting with the reserved prefix ${prefix}`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `${refused}: not ending with the reserved suffix ${suffix}`;
  return undefined;
}
