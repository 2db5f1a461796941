import { finding, invalid, perObject, toFindings } from '../finding';
import { dns1035Label, dns1123Label, dns1123Subdomain, maxLength, pathSegmentName } from '../names';
import { asObject } from '../object-access';

/** Longest CronJob name: the controller appends an 11-character suffix to name Jobs (`ValidateCronJobCreate`). */
const CRON_JOB_NAME_MAX_LENGTH = 52;

/** Name formats that differ from the default RFC 1123 subdomain. */
const NAME_RULES: Readonly<Record<string, (name: string) => string[]>> = {
  Namespace: dns1123Label,
  Service: dns1035Label,
  CronJob: (name) => [...dns1123Subdomain(name), ...maxLength(name, CRON_JOB_NAME_MAX_LENGTH)],
  // The Spark Operator's validating webhook: names become pod and service name prefixes.
  SparkApplication: dns1035Label,
  ScheduledSparkApplication: dns1035Label,
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
};

/** `metadata.name` in the format its kind requires, and `metadata.namespace` a DNS label on namespaced kinds. */
export const objectNames = perObject((target, { schemas }) => {
  const { apiVersion, kind } = target.object;
  const metadata = asObject(target.object.metadata);
  const name = metadata?.name;
  if (name === undefined || name === '') return [finding(target, ['metadata', 'name'], 'required field is missing')];
  const problems = [];
  if (typeof name === 'string') {
    const rule = typeof kind === 'string' && Object.hasOwn(NAME_RULES, kind) ? NAME_RULES[kind] : dns1123Subdomain;
    problems.push(...invalid(['metadata', 'name'], name, rule(name)));
  }
  const namespace = metadata?.namespace;
  const namespaced =
    typeof apiVersion === 'string' && typeof kind === 'string' && schemas.isNamespaced(apiVersion, kind);
  if (namespaced && typeof namespace === 'string')
    problems.push(...invalid(['metadata', 'namespace'], namespace, dns1123Label(namespace)));
  return toFindings(target, problems);
});
