import { isDeepStrictEqual } from 'util';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { keyPathText } from '../config';
import {
  addResources,
  exceeding,
  formatResource,
  isZero,
  minPermissive,
  parseYunikornQuantity,
  QUANTITY_EXPECTED,
  Resource,
  VCORE,
} from './yunikorn-resource';

/**
 * An offline copy of the checks YuniKorn applies to `queues.yaml` (yunikorn-core 1.8.0: strict parsing in
 * `ParseAndValidateConfig`, the rules of `configvalidator.go` `Validate()`, and the placement-rule and ACL checks that
 * only run when a configuration is applied). Unlike YuniKorn, which stops at the first error, it reports them all.
 */

// Scalars decode into Go strings whatever YAML type they have; a null leaves the zero value.
const text = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)));
const flag = z.union([z.boolean(), z.null()]).transform((v) => v ?? false);
const uint = z
  .union([z.number().int('a whole number').min(0, 'a whole number >= 0'), z.null()])
  .transform((v) => v ?? 0);
const resourceMap = z.record(z.string(), text);
const list = z.array(text);

const ResourcesSchema = z.strictObject({ guaranteed: resourceMap.nullish(), max: resourceMap.nullish() });
const LimitSchema = z.strictObject({
  limit: text.optional(),
  users: list.nullish(),
  groups: list.nullish(),
  maxresources: resourceMap.nullish(),
  maxapplications: uint.optional(),
});
const FilterSchema = z.strictObject({ type: text.optional(), users: list.nullish(), groups: list.nullish() });

export type QueueResources = z.infer<typeof ResourcesSchema>;
export type Limit = z.infer<typeof LimitSchema>;
export type PlacementFilter = z.infer<typeof FilterSchema>;

/** A placement rule (`partitions[].placementrules[]`), keys as YuniKorn spells them. */
export interface PlacementRule {
  /** provided, user, fixed or tag (case-insensitive). */
  name?: string;
  /** Whether the rule may create the queue it names. */
  create?: boolean;
  /** Which users or groups the rule applies to. */
  filter?: PlacementFilter | null;
  /** A rule whose result is the parent of this rule's queue. */
  parent?: PlacementRule | null;
  /** The queue for `fixed`, the application tag for `tag`. */
  value?: string;
}

/** A queue (`partitions[].queues[]`, recursively), keys as YuniKorn spells them. */
export interface QueueConfig {
  /** The queue name (no dots). */
  name?: string;
  /** Marks a queue without children as a parent, so placement rules can create children. */
  parent?: boolean;
  /** Guaranteed and max resources (`vcore`, `memory`, other types as named). */
  resources?: QueueResources | null;
  /** Applications running at once; 0 is unlimited. */
  maxapplications?: number;
  /** Queue properties such as application.sort.policy (values are not validated by YuniKorn). */
  properties?: Record<string, string> | null;
  /** Users and groups administering the queue ("users groups"). */
  adminacl?: string;
  /** Users and groups that may submit ("users groups"; "*" is everyone). */
  submitacl?: string;
  /** Settings for children created by placement rules. */
  childtemplate?: {
    maxapplications?: number;
    properties?: Record<string, string> | null;
    resources?: QueueResources | null;
  } | null;
  /** Child queues. */
  queues?: QueueConfig[] | null;
  /** User and group limits. */
  limits?: Limit[] | null;
}

const PlacementRuleSchema: z.ZodType<PlacementRule, unknown> = z.lazy(() =>
  z.strictObject({
    name: text.optional(),
    create: flag.optional(),
    filter: FilterSchema.nullish(),
    parent: PlacementRuleSchema.nullish(),
    value: text.optional(),
  }),
);

const QueueSchema: z.ZodType<QueueConfig, unknown> = z.lazy(() =>
  z.strictObject({
    name: text.optional(),
    parent: flag.optional(),
    resources: ResourcesSchema.nullish(),
    maxapplications: uint.optional(),
    properties: resourceMap.nullish(),
    adminacl: text.optional(),
    submitacl: text.optional(),
    childtemplate: z
      .strictObject({
        maxapplications: uint.optional(),
        properties: resourceMap.nullish(),
        resources: ResourcesSchema.nullish(),
      })
      .nullish(),
    queues: z.array(QueueSchema).nullish(),
    limits: z.array(LimitSchema).nullish(),
  }),
);

const PartitionSchema = z.strictObject({
  name: text.optional(),
  queues: z.array(QueueSchema).nullish(),
  placementrules: z.array(PlacementRuleSchema).nullish(),
  limits: z.array(LimitSchema).nullish(),
  preemption: z
    .strictObject({ enabled: z.boolean().nullish(), quotapreemptionenabled: z.boolean().nullish() })
    .nullish(),
  nodesortpolicy: z
    .strictObject({ type: text.optional(), resourceweights: z.record(z.string(), z.number()).nullish() })
    .nullish(),
  usergroupresolver: z.strictObject({ type: text.optional() }).nullish(),
});

/** The whole of `queues.yaml`. */
export const SchedulerConfigSchema = z.strictObject({
  partitions: z.array(PartitionSchema).nullish(),
  checksum: text.optional(),
});

export type PartitionConfig = z.infer<typeof PartitionSchema>;
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;

/** One reason YuniKorn would reject a configuration. */
export interface QueueConfigProblem {
  /** Where: a YAML path such as `partitions[0].queues[0]`, or a fully qualified queue name such as `root.tenants.a`. */
  readonly at: string;
  /** The fully qualified queue the problem is about, when there is one. */
  readonly queue?: string;
  /** What is wrong and what would be valid. */
  readonly message: string;
}

/** Renders a problem as one line. */
export function formatQueueConfigProblem(problem: QueueConfigProblem): string {
  return `${problem.at}: ${problem.message}`;
}

/** Queue names: no dots (they separate the levels), at most 64 characters. */
export const QUEUE_NAME = /^[a-zA-Z0-9_:#/@-]{1,64}$/;
const USER_NAME = /^[_a-zA-Z][a-zA-Z0-9:#/_.@-]*[$]?$/;
const GROUP_NAME = /^[_a-zA-Z][a-zA-Z0-9:_.-]*$/;
const RULE_NAME = /^[_a-zA-Z][a-zA-Z0-9_]*$/;
const REGEXP_SPECIAL = /[\^$*+?()[{}|]/;
const RULE_TYPES = ['provided', 'user', 'fixed', 'tag'];
const NODE_SORT_POLICIES = ['', 'fair', 'binpacking'];
const QUEUE_NAME_EXPECTED = '1 to 64 letters, digits or _ : # / @ - (no dots)';

/** Parses `queues.yaml` text strictly (unknown keys and duplicate keys are errors) and validates it. */
export function validateQueuesYaml(yamlText: string): QueueConfigProblem[] {
  const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0)
    return doc.errors.map((e) => ({ at: 'queues.yaml', message: `YAML syntax: ${e.message.split('\n')[0]}` }));
  const input: unknown = doc.toJS();
  // An empty document is valid: YuniKorn uses its defaults.
  if (input === null || input === undefined) return [];
  const parsed = SchedulerConfigSchema.safeParse(input);
  if (!parsed.success) return parsed.error.issues.flatMap(describeIssue);
  return validateSchedulerConfig(parsed.data);
}

/** Validates a parsed configuration with YuniKorn's rules; returns every problem found (none when valid). */
export function validateSchedulerConfig(config: SchedulerConfig): QueueConfigProblem[] {
  const problems: QueueConfigProblem[] = [];
  const seen = new Set<string>();
  (config.partitions ?? []).forEach((partition, index) => {
    const name = !partition.name || partition.name.toLowerCase() === 'default' ? 'default' : partition.name;
    if (seen.has(name.toLowerCase()))
      problems.push({
        at: `partitions[${index}]`,
        message: `duplicate partition name '${name}' (names compare case-insensitively)`,
      });
    seen.add(name.toLowerCase());
    problems.push(...new PartitionCheck(partition, `partitions[${index}]`).run());
  });
  if (config.partitions && !seen.has('default')) {
    problems.push({
      at: 'partitions',
      message: "no partition 'default'; the Kubernetes shim schedules every pod in partition 'default'",
    });
  }
  return problems;
}

interface Queue {
  readonly path: string;
  readonly config: QueueConfig;
  readonly isParent: boolean;
  readonly children: readonly Queue[];
}

class PartitionCheck {
  private readonly problems: QueueConfigProblem[] = [];

  constructor(
    private readonly partition: PartitionConfig,
    private readonly at: string,
  ) {}

  run(): QueueConfigProblem[] {
    const root = this.checkStructure();
    if (root) {
      this.checkQueue(root, 1);
      this.checkResources(root, undefined);
      this.checkPlacementRules(root);
      this.checkNodeSortPolicy();
      this.checkMaxApplications(root);
      this.checkLimitHierarchy(root, new Map(), new Map());
    }
    return this.problems;
  }

  private add(at: string, message: string, queue?: string): void {
    this.problems.push({ at, message, ...(queue ? { queue } : {}) });
  }

  /** Inserts `root` when the top level is not exactly one queue named root, and merges partition limits into it. */
  private checkStructure(): Queue | undefined {
    const top = this.partition.queues;
    if (!top) {
      this.add(this.at, "'queues' is not set; expected a queue tree starting at 'root'");
      return undefined;
    }
    const hasRoot = top.length === 1 && (top[0].name ?? '').toLowerCase() === 'root';
    const rootConfig: QueueConfig = hasRoot ? { ...top[0], parent: true } : { name: 'root', parent: true, queues: top };
    if (rootConfig.resources?.guaranteed || rootConfig.resources?.max) {
      this.add(
        'root',
        'the root queue must not set resources.guaranteed or resources.max; its size is the cluster',
        'root',
      );
    }
    const partitionLimits = this.partition.limits ?? [];
    const rootLimits = rootConfig.limits ?? [];
    if (partitionLimits.length > 0 && rootLimits.length > 0 && !isDeepStrictEqual(partitionLimits, rootLimits)) {
      this.add(
        `${this.at}.limits`,
        'partition limits and root queue limits are both set and differ; set them in one place',
      );
    } else if (partitionLimits.length > 0) {
      rootConfig.limits = partitionLimits;
    }
    return toQueue(rootConfig, 'root', true);
  }

  /** ACLs, limits, child names and their uniqueness, recursively. */
  private checkQueue(queue: Queue, level: number): void {
    const c = queue.config;
    for (const [key, acl] of [
      ['adminacl', c.adminacl],
      ['submitacl', c.submitacl],
    ] as const) {
      if (acl === undefined) continue;
      const trimmed = acl.trim();
      if (trimmed === '' || trimmed === '*') continue;
      if (trimmed.split(/\s+/).length > 2) {
        this.add(
          queue.path,
          `${key} ${JSON.stringify(acl)} has more than two space-separated parts; expected "users groups"`,
          queue.path,
        );
      } else if (acl.split(' ').length > 2) {
        this.add(
          queue.path,
          `${key} ${JSON.stringify(acl)} has extra spaces, which pass validation but fail when YuniKorn applies the config; expected exactly one space between users and groups`,
          queue.path,
        );
      } else {
        for (const dropped of aclNamesDropped(acl)) {
          this.add(
            queue.path,
            `${key} names ${dropped.kind} ${JSON.stringify(dropped.name)}, which YuniKorn drops when it applies the config (ACL ${dropped.kind}s match ${dropped.pattern}, so no ':'); expected a name it keeps`,
            queue.path,
          );
        }
      }
    }
    this.checkLimits(queue);
    const names = new Map<string, string>();
    for (const child of queue.children) {
      const name = child.config.name ?? '';
      if (!QUEUE_NAME.test(name))
        this.add(
          child.path,
          `queue name ${JSON.stringify(name)} is invalid; expected ${QUEUE_NAME_EXPECTED}`,
          child.path,
        );
      const clash = names.get(name.toLowerCase());
      if (clash !== undefined) {
        this.add(
          child.path,
          `queue name '${name}' duplicates sibling '${clash}' at level ${level} (names compare case-insensitively)`,
          child.path,
        );
      } else {
        names.set(name.toLowerCase(), name);
      }
    }
    for (const child of queue.children) this.checkQueue(child, level + 1);
  }

  private resource(
    conf: Record<string, string> | null | undefined,
    where: string,
    queue?: string,
  ): Resource | undefined {
    if (!conf) return undefined;
    const result = new Map<string, bigint>();
    for (const [type, value] of Object.entries(conf)) {
      if (type === 'cpu')
        this.add(where, `resource type 'cpu' is not YuniKorn's CPU and limits nothing; expected '${VCORE}'`, queue);
      const parsed = parseYunikornQuantity(type, value);
      if (parsed === undefined)
        this.add(
          where,
          `${type} ${JSON.stringify(value)} is not a YuniKorn quantity; expected ${QUANTITY_EXPECTED}`,
          queue,
        );
      else result.set(type, parsed);
    }
    return result;
  }

  /**
   * guaranteed <= max; max <= the parent's effective max; the children's guaranteed sum <= this queue's guaranteed
   * and effective max. Returns what the queue passes up: its guaranteed, or its children's sum when it has none.
   */
  private checkResources(queue: Queue, parentMax: Resource | undefined): Resource {
    const c = queue.config;
    const guaranteed =
      this.resource(c.resources?.guaranteed, `${queue.path} resources.guaranteed`, queue.path) ??
      new Map<string, bigint>();
    const max = this.resource(c.resources?.max, `${queue.path} resources.max`, queue.path);
    if (c.childtemplate?.resources) {
      this.resource(
        c.childtemplate.resources.guaranteed,
        `${queue.path} childtemplate.resources.guaranteed`,
        queue.path,
      );
      this.resource(c.childtemplate.resources.max, `${queue.path} childtemplate.resources.max`, queue.path);
    }
    const over = exceeding(max, guaranteed);
    if (over.length > 0) {
      this.add(
        queue.path,
        `guaranteed ${formatResource(guaranteed, over)} is above max ${formatResource(max!, over)}`,
        queue.path,
      );
    }
    const aboveParent = max ? exceeding(parentMax, max) : [];
    if (aboveParent.length > 0) {
      this.add(
        queue.path,
        `max ${formatResource(max!, aboveParent)} is above the parent's effective max ${formatResource(parentMax!, aboveParent)}`,
        queue.path,
      );
    }
    const effectiveMax = minPermissive(max, parentMax);
    const sum = queue.children.reduce<Resource>(
      (total, child) => addResources(total, this.checkResources(child, effectiveMax)),
      new Map(),
    );
    const overGuaranteed = exceeding(guaranteed, sum);
    if (overGuaranteed.length > 0) {
      this.add(
        queue.path,
        `the children's guaranteed sum ${formatResource(sum, overGuaranteed)} is above the queue's guaranteed ${formatResource(guaranteed, overGuaranteed)}`,
        queue.path,
      );
    }
    const overMax = exceeding(effectiveMax, sum);
    if (overMax.length > 0) {
      this.add(
        queue.path,
        `the children's guaranteed sum ${formatResource(sum, overMax)} is above the queue's effective max ${formatResource(effectiveMax!, overMax)}`,
        queue.path,
      );
    }
    return isZero(guaranteed) ? sum : guaranteed;
  }

  private checkPlacementRules(root: Queue): void {
    (this.partition.placementrules ?? []).forEach((rule, index) => {
      const at = `${this.at}.placementrules[${index}]`;
      const before = this.problems.length;
      this.checkRule(rule, at);
      // A chain with a malformed rule has no meaningful static path.
      if (this.problems.length === before) this.checkStaticPath(rule, index, at, root);
    });
  }

  /** Syntax (validator) and the checks YuniKorn makes when it builds the rule (apply time), for a rule and its parents. */
  private checkRule(rule: PlacementRule, at: string): void {
    const name = rule.name ?? '';
    if (!RULE_NAME.test(name)) {
      this.add(at, `rule name ${JSON.stringify(name)} is not a valid identifier`);
    } else if (!RULE_TYPES.includes(name.toLowerCase())) {
      this.add(
        at,
        `rule name '${name}' is unknown when the config is applied; expected one of ${RULE_TYPES.join(', ')}`,
      );
    }
    const value = rule.value ?? '';
    if (name.toLowerCase() === 'fixed') {
      const parts = value.split('.');
      if (value === '' || parts.some((part) => !QUEUE_NAME.test(part))) {
        this.add(
          at,
          `fixed rule value ${JSON.stringify(value)} is not a queue name; expected dot-separated parts of ${QUEUE_NAME_EXPECTED}`,
        );
      }
    }
    if (name.toLowerCase() === 'tag' && value === '')
      this.add(at, "tag rule needs a value: the tag to read, e.g. 'namespace'");
    this.checkFilter(rule.filter, `${at}.filter`);
    if (rule.parent) this.checkRule(rule.parent, `${at}.parent`);
  }

  private checkFilter(filter: PlacementFilter | null | undefined, at: string): void {
    if (!filter) return;
    const type = filter.type ?? '';
    if (!['', 'allow', 'deny'].includes(type.toLowerCase()))
      this.add(at, `filter type ${JSON.stringify(type)} is invalid; expected '', allow or deny`);
    for (const [key, names, pattern] of [
      ['users', filter.users, USER_NAME],
      ['groups', filter.groups, GROUP_NAME],
    ] as const) {
      // A single entry is either a name or a regular expression (which must contain a special character).
      if (names?.length === 1 && !pattern.test(names[0]) && !(compiles(names[0]) && REGEXP_SPECIAL.test(names[0]))) {
        this.add(at, `filter ${key} ${JSON.stringify(names)} is neither a valid name nor a regular expression`);
      }
    }
  }

  /** The leading `fixed` parts of a rule chain must resolve against the queue tree. */
  private checkStaticPath(rule: PlacementRule, index: number, at: string, root: Queue): void {
    const chain: PlacementRule[] = [];
    for (let r: PlacementRule | null | undefined = rule; r; r = r.parent) chain.unshift(r);
    let path = '';
    let dynamic = false;
    for (const r of chain) {
      if (dynamic) continue;
      if (r.name !== 'fixed') {
        if (path === '') path = '<dynamic>';
        dynamic = true;
        continue;
      }
      const value = r.value ?? '';
      if (value.startsWith('root')) {
        if (path !== '') {
          this.add(at, `only the first fixed rule of a chain may be fully qualified; got ${JSON.stringify(value)}`);
          return;
        }
        path = value;
      } else {
        path = `${path === '' ? 'root' : path}.${value}`;
      }
    }
    if (!path.startsWith('root')) return;
    const chainNames = chain.map((r) => r.name).join('->');
    const result = resolvePlacement(path.toLowerCase().split('.'), rule.create ?? false, dynamic, [root]);
    if (result.kind === 'not-leaf') {
      this.add(
        at,
        `rule no. ${index} (${chainNames}) references queue '${path}', which ${dynamic ? 'must be a parent (parent: true) for the rules that follow' : 'is not a leaf'}`,
      );
    } else if (result.kind === 'missing') {
      this.add(at, `rule no. ${index} (${chainNames}) references non-existing queue '${path}' and create is false`);
    } else if (result.kind === 'leaf-end') {
      this.add(
        at,
        `rule no. ${index} (${chainNames}) references queue '${path}', which cannot be created because '${result.leaf}' is a leaf`,
      );
    }
  }

  private checkNodeSortPolicy(): void {
    const policy = this.partition.nodesortpolicy;
    if (!policy) return;
    const at = `${this.at}.nodesortpolicy`;
    if (!NODE_SORT_POLICIES.includes(policy.type ?? ''))
      this.add(at, `type ${JSON.stringify(policy.type)} is unknown; expected fair or binpacking`);
    for (const [type, weight] of Object.entries(policy.resourceweights ?? {})) {
      if (weight < 0) this.add(at, `resourceweights.${type} is ${weight}; expected a weight >= 0`);
    }
  }

  /** A parent with maxapplications makes it mandatory, and no larger, on every child. */
  private checkMaxApplications(queue: Queue): void {
    const max = queue.config.maxapplications ?? 0;
    for (const child of queue.children) {
      const childMax = child.config.maxapplications ?? 0;
      if (max !== 0 && (childMax === 0 || childMax > max)) {
        this.add(child.path, `maxapplications ${childMax} must be set and at most the parent's ${max}`, child.path);
      }
      this.checkMaxApplications(child);
    }
  }

  /** The limit entries of one queue (partition limits count as root's). */
  private checkLimits(queue: Queue): void {
    const users = new Set<string>();
    const groups = new Set<string>();
    const queueMax = queue.path === 'root' ? undefined : this.quietResource(queue.config.resources?.max);
    (queue.config.limits ?? []).forEach((limit, index) => {
      const at = `${queue.path} limits[${index}]`;
      const add = (message: string) => this.add(at, message, queue.path);
      if ((limit.users ?? []).length === 0 && (limit.groups ?? []).length === 0)
        add('a limit needs at least one user or group');
      for (const [kind, names, seen, pattern] of [
        ['user', limit.users, users, USER_NAME],
        ['group', limit.groups, groups, GROUP_NAME],
      ] as const) {
        for (const name of names ?? []) {
          if (name !== '*' && !pattern.test(name)) add(`${kind} name ${JSON.stringify(name)} is invalid`);
          if (seen.has(name)) add(`${kind} '${name}' already has a limit on this queue`);
          seen.add(name);
          if (seen.has('*') && name !== '*')
            add(`${kind} '${name}' comes after the wildcard ${kind} limit; the wildcard must come last`);
        }
      }
      if (groups.has('*') && groups.size === 1)
        add('the wildcard group may not be the only group limit; limit at least one named group');
      const max = this.resource(limit.maxresources, at, queue.path);
      if (max && max.size > 0 && isZero(max)) add('maxresources are all zero; expected at least one value above zero');
      else if ((limit.maxapplications ?? 0) === 0 && isZero(max))
        add('all resource limits are null; expected maxapplications or maxresources');
      const queueApps = queue.config.maxapplications ?? 0;
      if (queueApps !== 0 && (limit.maxapplications ?? 0) > queueApps)
        add(`maxapplications ${limit.maxapplications} is above the queue's ${queueApps}`);
      const over = max ? exceeding(queueMax, max) : [];
      if (over.length > 0)
        add(`maxresources ${formatResource(max!, over)} is above the queue's max ${formatResource(queueMax!, over)}`);
    });
  }

  /**
   * A user's or group's limit on a queue must fit the same name's limit on the nearest ancestor with limits, or
   * that ancestor's wildcard limit; the same holds for maxapplications, where 0 means unlimited.
   */
  private checkLimitHierarchy(
    queue: Queue,
    inherited: Map<string, EffectiveLimit>,
    inheritedGroups: Map<string, EffectiveLimit>,
  ): void {
    const limits = queue.config.limits ?? [];
    let users = inherited;
    let groups = inheritedGroups;
    if (limits.length > 0) {
      users = new Map();
      groups = new Map();
      for (const limit of limits) {
        const mine: EffectiveLimit = {
          resources: this.quietResource(limit.maxresources) ?? new Map(),
          applications: limit.maxapplications ?? 0,
        };
        for (const [kind, names, from, into] of [
          ['user', limit.users, inherited, users],
          ['group', limit.groups, inheritedGroups, groups],
        ] as const) {
          for (const name of names ?? []) {
            const ancestor = from.get(name) ?? from.get('*');
            if (!ancestor) {
              into.set(name, mine);
              continue;
            }
            const over = exceeding(ancestor.resources, mine.resources);
            if (over.length > 0) {
              this.add(
                queue.path,
                `${kind} '${name}' maxresources ${formatResource(mine.resources, over)} is above the ancestor limit ${formatResource(ancestor.resources, over)}`,
                queue.path,
              );
            }
            if (ancestor.applications !== 0 && (mine.applications === 0 || mine.applications > ancestor.applications)) {
              this.add(
                queue.path,
                `${kind} '${name}' maxapplications ${mine.applications || 'unlimited'} is above the ancestor limit ${ancestor.applications}`,
                queue.path,
              );
            }
            into.set(name, {
              resources: minPermissive(mine.resources, ancestor.resources)!,
              applications:
                ancestor.applications === 0
                  ? mine.applications
                  : Math.min(mine.applications || ancestor.applications, ancestor.applications),
            });
          }
        }
      }
    }
    for (const child of queue.children) this.checkLimitHierarchy(child, users, groups);
  }

  /** Parses a resource without reporting (its problems are reported where the resource is checked first). */
  private quietResource(conf: Record<string, string> | null | undefined): Resource | undefined {
    if (!conf) return undefined;
    const result = new Map<string, bigint>();
    for (const [type, value] of Object.entries(conf)) {
      const parsed = parseYunikornQuantity(type, value);
      if (parsed !== undefined) result.set(type, parsed);
    }
    return result;
  }
}

interface EffectiveLimit {
  readonly resources: Resource;
  readonly applications: number;
}

function toQueue(config: QueueConfig, path: string, isRoot = false): Queue {
  return {
    path,
    config,
    // Only the flag counts (root is forced a parent): YuniKorn's placement check reads `parent`, not the children.
    isParent: isRoot || config.parent === true,
    children: (config.queues ?? []).map((child) => toQueue(child, `${path}.${child.name ?? ''}`)),
  };
}

type PlacementResult = { kind: 'ok' } | { kind: 'not-leaf' } | { kind: 'missing' } | { kind: 'leaf-end'; leaf: string };

/** Walks a static placement path down the queue tree (names compare exactly against the lower-cased path). */
function resolvePlacement(
  parts: readonly string[],
  create: boolean,
  dynamic: boolean,
  level: readonly Queue[],
  parent?: Queue,
): PlacementResult {
  if (level.length === 0) {
    if (parent && !parent.isParent) return { kind: 'leaf-end', leaf: parent.path };
    return create ? { kind: 'ok' } : { kind: 'missing' };
  }
  const queue = level.find((q) => q.config.name === parts[0]);
  if (!queue) return create ? { kind: 'ok' } : { kind: 'missing' };
  if (parts.length === 1) {
    if (dynamic) return queue.isParent ? { kind: 'ok' } : { kind: 'not-leaf' };
    return queue.isParent ? { kind: 'not-leaf' } : { kind: 'ok' };
  }
  return resolvePlacement(parts.slice(1), create, dynamic, queue.children, queue);
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function describeIssue(issue: z.core.$ZodIssue): QueueConfigProblem[] {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ at, message: `unknown key '${key}' (YuniKorn parses queues.yaml strictly)` }));
  }
  if (issue.code === 'invalid_type') return [{ at, message: `expected ${issue.expected}` }];
  if (issue.code === 'invalid_union') {
    const expected = [...new Set(issue.errors.flat().map((e) => (e.code === 'invalid_type' ? e.expected : e.message)))];
    return [{ at, message: `expected ${expected.join(' or ')}` }];
  }
  return [{ at, message: `expected ${issue.message}` }];
}

function formatPath(path: readonly PropertyKey[]): string {
  return keyPathText(path) || 'queues.yaml';
}

/**
 * The name patterns of yunikorn-core 1.8.0's ACL parser (`security/acl.go`), stricter than the validator's: an ACL name
 * that passes validation but not these is dropped silently when the configuration is applied.
 */
const ACL_USER = /^[_a-zA-Z][a-zA-Z0-9_.@-]*[$]?$/;
const ACL_GROUP = /^[_a-zA-Z][a-zA-Z0-9_-]*$/;

/** An ACL as YuniKorn applies it (`security.NewACL`): everyone, or the users and groups it keeps. */
export interface Acl {
  readonly everyone: boolean;
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
}

/** Parses an ACL string the way YuniKorn does when it applies a configuration. */
export function parseAcl(acl: string | undefined): Acl {
  const text = acl ?? '';
  const [users = '', groups = ''] = text.split(' ');
  const everyone = text.trim() === '*' || users === '*' || groups === '*';
  return {
    everyone,
    users: new Set(users.split(',').filter((u) => u !== '' && ACL_USER.test(u))),
    groups: new Set(groups.split(',').filter((g) => g !== '' && ACL_GROUP.test(g))),
  };
}

/** The ACL names YuniKorn would drop when applying the config, with the pattern they fail. */
function aclNamesDropped(acl: string): { name: string; kind: 'user' | 'group'; pattern: string }[] {
  if (acl.trim() === '*') return [];
  const [users = '', groups = ''] = acl.split(' ');
  const dropped = (list: string, kind: 'user' | 'group', pattern: RegExp) =>
    list
      .split(',')
      .filter((n) => n !== '' && n !== '*' && !pattern.test(n))
      .map((name) => ({ name, kind, pattern: String(pattern) }));
  return [...dropped(users, 'user', ACL_USER), ...dropped(groups, 'group', ACL_GROUP)];
}

/** An application as the Kubernetes shim hands it to the core: its user and groups, namespace tag and named queue. */
export interface ApplicationSubmission {
  readonly user: string;
  readonly groups: readonly string[];
  readonly namespace: string;
  /** The queue the pods name (`queue` label or annotation), when they name one. */
  readonly queue?: string;
}

interface PlacedQueue {
  readonly path: string;
  readonly parent?: PlacedQueue;
  readonly isLeaf: boolean;
  /** Its submit and admin ACLs (either grants submission). */
  readonly acls: readonly Acl[];
}

/**
 * Where YuniKorn places an application (yunikorn-core 1.8.0 `placement.AppPlacementManager.PlaceApplication`): each
 * rule in order yields a queue; a queue the user may not submit to (its ACL or an ancestor's, submit or admin), a
 * parent, or a queue that does not exist and may not be created sends the application to the next rule. Returns the
 * leaf it lands in, or undefined when it is rejected. Only the default partition is used on Kubernetes.
 */
export function placeApplication(config: SchedulerConfig, app: ApplicationSubmission): string | undefined {
  return new QueuePlacement(config).place(app);
}

/** The default partition's queue tree and rules, indexed once, placing any number of applications. */
export class QueuePlacement {
  private readonly queues = new Map<string, PlacedQueue>();
  private readonly rules: readonly PlacementRule[];

  constructor(config: SchedulerConfig) {
    const partition = (config.partitions ?? []).find((p) => !p.name || p.name.toLowerCase() === 'default');
    const index = (queue: QueueConfig, path: string, parent?: PlacedQueue) => {
      const children = queue.queues ?? [];
      const placed: PlacedQueue = {
        path,
        parent,
        isLeaf: children.length === 0 && queue.parent !== true,
        acls: [parseAcl(queue.submitacl), parseAcl(queue.adminacl)],
      };
      this.queues.set(path.toLowerCase(), placed);
      for (const child of children) index(child, `${path}.${child.name ?? ''}`, placed);
    };
    const top = partition?.queues ?? [];
    const hasRoot = top.length === 1 && (top[0].name ?? '').toLowerCase() === 'root';
    if (partition) index(hasRoot ? { ...top[0], parent: true } : { name: 'root', parent: true, queues: top }, 'root');
    this.rules = !partition
      ? []
      : partition.placementrules?.length
        ? partition.placementrules
        : [{ name: 'provided', create: false }];
  }

  /** Whether the queue's ACLs (its own or an ancestor's) let the application's user or groups submit to it. */
  admits(queuePath: string, app: Pick<ApplicationSubmission, 'user' | 'groups'>): boolean {
    const queue = this.queues.get(queuePath.toLowerCase());
    return queue !== undefined && mayAccess(queue, app);
  }

  /** The leaf the application lands in, or undefined when it is rejected. */
  place(app: ApplicationSubmission): string | undefined {
    for (const rule of this.rules) {
      const name = resolveRule(rule, app, this.queues);
      if (name === undefined) continue;
      let queue = this.queues.get(name.toLowerCase());
      if (!queue) {
        // A queue the rule may create: the nearest existing ancestor's ACL decides.
        let current = name;
        while (!queue && current.includes('.')) {
          current = current.slice(0, current.lastIndexOf('.'));
          queue = this.queues.get(current.toLowerCase());
        }
        if (queue && !queue.isLeaf && mayAccess(queue, app)) return name;
        continue;
      }
      if (queue.isLeaf && mayAccess(queue, app)) return queue.path;
    }
    return undefined;
  }
}

/** The queue a rule (with its parent rules) yields, or undefined when it yields none. */
function resolveRule(
  rule: PlacementRule,
  app: ApplicationSubmission,
  queues: ReadonlyMap<string, PlacedQueue>,
): string | undefined {
  if (rule.filter && !filterAllows(rule.filter, app)) return undefined;
  const own = ((): string | undefined => {
    switch ((rule.name ?? '').toLowerCase()) {
      case 'provided':
        return app.queue || undefined;
      case 'tag':
        return rule.value === 'namespace' ? app.namespace : undefined;
      case 'fixed':
        return rule.value || undefined;
      case 'user':
        return app.user.replace(/\./g, '_dot_');
      default:
        return undefined;
    }
  })();
  if (own === undefined) return undefined;
  let name: string;
  if (own.toLowerCase().startsWith('root.')) {
    name = own;
  } else {
    const parent = rule.parent ? resolveRule(rule.parent, app, queues) : 'root';
    if (parent === undefined) return undefined;
    const parentQueue = queues.get(parent.toLowerCase());
    // A parent rule's queue must exist (or be creatable) and be a parent; the child name cannot contain dots.
    if (rule.parent && parentQueue?.isLeaf) return undefined;
    if (!parentQueue && !(rule.parent?.create ?? false)) return undefined;
    name = `${parent}.${own.replace(/\./g, '_dot_')}`;
  }
  if (!queues.has(name.toLowerCase()) && !(rule.create ?? false)) return undefined;
  return name;
}

function filterAllows(filter: PlacementFilter, app: ApplicationSubmission): boolean {
  const users = filter.users ?? [];
  const groups = filter.groups ?? [];
  if (users.length === 0 && groups.length === 0) return true;
  const matches = (list: readonly string[], value: string) =>
    list.length === 1 && REGEXP_SPECIAL.test(list[0]) ? new RegExp(list[0]).test(value) : list.includes(value);
  const hit = matches(users, app.user) || app.groups.some((g) => matches(groups, g));
  return (filter.type ?? '').toLowerCase() === 'deny' ? !hit : hit;
}

function mayAccess(queue: PlacedQueue, app: Pick<ApplicationSubmission, 'user' | 'groups'>): boolean {
  for (let q: PlacedQueue | undefined = queue; q; q = q.parent) {
    for (const acl of q.acls) {
      if (acl.everyone || acl.users.has(app.user) || app.groups.some((g) => acl.groups.has(g))) return true;
    }
  }
  return false;
}

/** The leaf queues of a configuration's default partition, fully qualified. */
export function leafQueues(config: SchedulerConfig): string[] {
  const partition = (config.partitions ?? []).find((p) => !p.name || p.name.toLowerCase() === 'default');
  const leaves: string[] = [];
  const walk = (queue: QueueConfig, path: string) => {
    const children = queue.queues ?? [];
    if (children.length === 0 && queue.parent !== true) leaves.push(path);
    for (const child of children) walk(child, `${path}.${child.name ?? ''}`);
  };
  const top = partition?.queues ?? [];
  if (top.length === 1 && (top[0].name ?? '').toLowerCase() === 'root') walk(top[0], 'root');
  else top.forEach((q) => walk(q, `root.${q.name ?? ''}`));
  return leaves;
}

/** A tenant as the isolation check sees it: the identities its pods carry and the leaf that is its own. */
export interface TenantSubmitter {
  readonly tenant: string;
  readonly namespace: string;
  readonly queue: string;
  readonly identities: readonly { readonly user: string; readonly groups: readonly string[] }[];
}

/**
 * Whether tenants stay in their own queues: for every identity of every tenant, naming each leaf queue (and naming
 * none) must place the application in the tenant's own leaf or reject it, and no parent queue may have a wildcard ACL
 * (it would open every queue below it). One line per breach.
 */
export function queueIsolationProblems(config: SchedulerConfig, tenants: readonly TenantSubmitter[]): string[] {
  const problems: string[] = [];
  const wildcardParents = (queue: QueueConfig, path: string) => {
    if ((queue.queues ?? []).length > 0 || queue.parent === true) {
      for (const key of ['submitacl', 'adminacl'] as const) {
        if (parseAcl(queue[key]).everyone)
          problems.push(`${path}: ${key} ${JSON.stringify(queue[key])} admits everyone to every queue below it`);
      }
    }
    for (const child of queue.queues ?? []) wildcardParents(child, `${path}.${child.name ?? ''}`);
  };
  const partition = (config.partitions ?? []).find((p) => !p.name || p.name.toLowerCase() === 'default');
  for (const q of partition?.queues ?? [])
    wildcardParents(q, (q.name ?? '').toLowerCase() === 'root' ? 'root' : `root.${q.name}`);
  const leaves = leafQueues(config);
  const placement = new QueuePlacement(config);
  for (const t of tenants) {
    for (const identity of t.identities) {
      // Naming a leaf whose ACLs refuse the identity cannot land there; only the others need placing.
      for (const queue of [undefined, ...leaves.filter((leaf) => placement.admits(leaf, identity))]) {
        const placed = placement.place({ ...identity, namespace: t.namespace, queue });
        if (placed !== undefined && placed.toLowerCase() !== t.queue.toLowerCase()) {
          problems.push(
            `tenant '${t.tenant}' (user ${identity.user}) is admitted to ${placed} when its pods name ${queue ?? 'no queue'}; expected only its own queue ${t.queue}`,
          );
        }
      }
    }
  }
  return problems;
}
