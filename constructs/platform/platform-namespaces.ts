import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { DNS_LABEL, Problems, VERSIONS } from '../../config';
import { PLATFORM_NAMESPACES, PodSecurityLevel, podSecurityLabels } from '../conventions';

/**
 * The strictest Pod Security level each platform namespace runs under (enforced), with the next stricter level
 * warned about and audited:
 * - the Spark Operator's controller and webhook run non-root, read-only, without capabilities or privilege escalation,
 *   with the RuntimeDefault seccomp profile (chart 2.5.2 `securityContext`): restricted;
 * - the History Server sets the same on its pod and container: restricted;
 * - YuniKorn's admission controller runs on the host network (the API server calls it on the node), which only
 *   privileged allows; warnings at baseline catch anything else;
 * - Polaris: baseline enforced, restricted warned about (the chart's own security context is left to the chart).
 */
export const PLATFORM_POD_SECURITY: Readonly<
  Record<string, { enforce: PodSecurityLevel; warn: PodSecurityLevel; audit: PodSecurityLevel }>
> = {
  [PLATFORM_NAMESPACES.sparkOperator]: { enforce: 'restricted', warn: 'restricted', audit: 'restricted' },
  [PLATFORM_NAMESPACES.historyServer]: { enforce: 'restricted', warn: 'restricted', audit: 'restricted' },
  [PLATFORM_NAMESPACES.yunikorn]: { enforce: 'privileged', warn: 'baseline', audit: 'baseline' },
  [PLATFORM_NAMESPACES.polaris]: { enforce: 'baseline', warn: 'restricted', audit: 'restricted' },
};
/** Namespaces not listed above (a caller's own): baseline enforced, restricted warned about. */
const DEFAULT_POD_SECURITY = { enforce: 'baseline', warn: 'restricted', audit: 'restricted' } as const;

export interface PlatformNamespacesProps {
  /**
   * The namespaces to create.
   * @default - every namespace in PLATFORM_NAMESPACES
   */
  readonly namespaces?: readonly string[];
}

const DEFAULTS = { namespaces: Object.values(PLATFORM_NAMESPACES) as readonly string[] };

/**
 * The namespaces of the platform services, with Pod Security admission labels ({@link PLATFORM_POD_SECURITY}); they
 * exist before the Helm releases and deploy-time Secrets that live in them.
 */
export class PlatformNamespaces extends Construct {
  /** The namespaces created, in order. */
  public readonly namespaces: readonly string[];

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps = {}) {
    super(scope, id);
    this.namespaces = props.namespaces ?? DEFAULTS.namespaces;
    const problems = new Problems(this.node.path);
    problems.check(this.namespaces.length > 0, 'namespaces', this.namespaces, 'at least one namespace');
    this.namespaces.forEach((ns, i) => {
      problems.check(DNS_LABEL.test(ns) && ns.length <= 63, `namespaces[${i}]`, ns, 'a DNS label');
      problems.check(this.namespaces.indexOf(ns) === i, `namespaces[${i}]`, ns, 'a namespace not listed before');
    });
    problems.throwIfAny();

    for (const name of this.namespaces) {
      const levels = PLATFORM_POD_SECURITY[name] ?? DEFAULT_POD_SECURITY;
      new k8s.KubeNamespace(this, name, {
        metadata: { name, labels: podSecurityLabels(levels, VERSIONS.kubernetes.cluster) },
      });
    }
  }
}
