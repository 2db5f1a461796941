import { stringify } from 'yaml';
import { formatQueueConfigProblem, parseYunikornQuantity, validateQueuesYaml } from '../../validation';

/** Validates a configuration written as an object (serialized to YAML first) and returns one line per problem. */
function problems(config: unknown): string[] {
  return validateQueuesYaml(typeof config === 'string' ? config : stringify(config)).map(formatQueueConfigProblem);
}

/** A partition `default` with the given queues under root (and extra partition keys). */
function partition(queues: unknown[], extra: Record<string, unknown> = {}) {
  return { partitions: [{ name: 'default', queues: [{ name: 'root', submitacl: '*', queues }], ...extra }] };
}

const leaf = (name: string, guaranteed?: object, max?: object, extra: object = {}) => ({
  name,
  ...(guaranteed || max ? { resources: { ...(guaranteed ? { guaranteed } : {}), ...(max ? { max } : {}) } } : {}),
  ...extra,
});

const RULES = [
  { name: 'provided', create: false },
  { name: 'tag', value: 'namespace', create: true, parent: { name: 'fixed', value: 'root.tenants' } },
];

const tenants = (children: unknown[], max: object = { vcore: '64', memory: '256Gi' }) => ({
  name: 'tenants',
  parent: true,
  resources: { max },
  queues: children,
});

describe('YuniKorn queue config validator', () => {
  test('accepts the shape the package generates', () => {
    const config = partition(
      [
        tenants([
          leaf('trading', { vcore: '8', memory: '32Gi' }, { vcore: '16', memory: '64Gi' }),
          leaf('analytics', { vcore: '500m' }, { vcore: '8' }),
        ]),
      ],
      {
        placementrules: RULES,
        nodesortpolicy: { type: 'binpacking' },
      },
    );
    expect(problems(config)).toEqual([]);
  });

  test('accepts an empty document (YuniKorn uses its defaults)', () => {
    expect(problems('')).toEqual([]);
  });

  describe('parsing is strict', () => {
    test('unknown keys', () => {
      expect(problems(partition([leaf('a', undefined, undefined, { maxapps: 3 })]))).toEqual([
        "partitions[0].queues[0].queues[0]: unknown key 'maxapps' (YuniKorn parses queues.yaml strictly)",
      ]);
    });

    test('duplicate keys', () => {
      expect(problems('partitions:\n  - name: default\n    name: other\n')).toEqual([
        expect.stringMatching(/^queues.yaml: YAML syntax: Map keys must be unique/),
      ]);
    });

    test('wrong types', () => {
      expect(
        problems({
          partitions: [
            { name: 'default', queues: [{ name: 'root' }], placementrules: [{ name: 'provided', create: 'yes' }] },
          ],
        }),
      ).toEqual(['partitions[0].placementrules[0].create: expected boolean or null']);
      expect(problems(partition([leaf('a', undefined, undefined, { maxapplications: -1 })]))).toEqual([
        'partitions[0].queues[0].queues[0].maxapplications: expected a whole number >= 0',
      ]);
    });
  });

  describe('partitions', () => {
    test('names are unique, case-insensitively', () => {
      const config = {
        partitions: [
          { name: 'default', queues: [{ name: 'root' }] },
          { name: 'DEFAULT', queues: [{ name: 'root' }] },
        ],
      };
      expect(problems(config)).toEqual([
        "partitions[1]: duplicate partition name 'default' (names compare case-insensitively)",
      ]);
    });

    test("the Kubernetes shim needs partition 'default'", () => {
      expect(problems({ partitions: [{ name: 'gpu', queues: [{ name: 'root' }] }] })).toEqual([
        "partitions: no partition 'default'; the Kubernetes shim schedules every pod in partition 'default'",
      ]);
    });

    test('queues must be set', () => {
      expect(problems({ partitions: [{ name: 'default' }] })).toEqual([
        "partitions[0]: 'queues' is not set; expected a queue tree starting at 'root'",
      ]);
    });
  });

  describe('queue structure', () => {
    test('root has no resources', () => {
      expect(
        problems({
          partitions: [{ name: 'default', queues: [{ name: 'root', resources: { max: { vcore: '10' } } }] }],
        }),
      ).toEqual(['root: the root queue must not set resources.guaranteed or resources.max; its size is the cluster']);
    });

    test('a missing root is inserted above the top-level queues', () => {
      const config = {
        partitions: [{ name: 'default', queues: [leaf('a', { vcore: '2' }, { vcore: '1' }), leaf('b')] }],
      };
      expect(problems(config)).toEqual(['root.a: guaranteed vcore 2 is above max vcore 1']);
    });

    test('queue names: no dots, only the allowed characters, at most 64', () => {
      expect(
        problems(partition([leaf('team.a'), leaf('team a'), leaf('x'.repeat(65)), leaf('ok_Name:#/@-1')])),
      ).toEqual([
        'root.team.a: queue name "team.a" is invalid; expected 1 to 64 letters, digits or _ : # / @ - (no dots)',
        'root.team a: queue name "team a" is invalid; expected 1 to 64 letters, digits or _ : # / @ - (no dots)',
        `root.${'x'.repeat(65)}: queue name "${'x'.repeat(65)}" is invalid; expected 1 to 64 letters, digits or _ : # / @ - (no dots)`,
      ]);
    });

    test('sibling names are unique, case-insensitively', () => {
      expect(problems(partition([tenants([leaf('Trading'), leaf('trading')])]))).toEqual([
        "root.tenants.trading: queue name 'trading' duplicates sibling 'Trading' at level 2 (names compare case-insensitively)",
      ]);
    });

    test('ACLs: at most "users groups", with single spaces', () => {
      expect(problems(partition([leaf('a', undefined, undefined, { submitacl: 'alice bob carol' })]))).toEqual([
        'root.a: submitacl "alice bob carol" has more than two space-separated parts; expected "users groups"',
      ]);
      expect(problems(partition([leaf('a', undefined, undefined, { adminacl: 'alice  admins' })]))).toEqual([
        'root.a: adminacl "alice  admins" has extra spaces, which pass validation but fail when YuniKorn applies the config; expected exactly one space between users and groups',
      ]);
      expect(
        problems(
          partition([leaf('a', undefined, undefined, { submitacl: ' spark-users', adminacl: 'alice,bob admins' })]),
        ),
      ).toEqual([]);
    });

    test('ACL names YuniKorn drops when it applies the config (security/acl.go has no ":") are reported', () => {
      expect(
        problems(
          partition([
            leaf('a', undefined, undefined, {
              submitacl: 'system:serviceaccount:a:spark-driver,serviceaccount.a.spark-driver system:serviceaccounts:a',
            }),
          ]),
        ),
      ).toEqual([
        'root.a: submitacl names user "system:serviceaccount:a:spark-driver", which YuniKorn drops when it applies the config (ACL users match /^[_a-zA-Z][a-zA-Z0-9_.@-]*[$]?$/, so no \':\'); expected a name it keeps',
        'root.a: submitacl names group "system:serviceaccounts:a", which YuniKorn drops when it applies the config (ACL groups match /^[_a-zA-Z][a-zA-Z0-9_-]*$/, so no \':\'); expected a name it keeps',
      ]);
    });
  });

  describe('resources', () => {
    test('quantities follow the YuniKorn grammar', () => {
      const bad = problems(partition([leaf('a', undefined, { memory: '1.5Gi', vcore: '-1', pods: '10m', gpu: '1K' })]));
      expect(bad).toEqual([
        'root.a resources.max: memory "1.5Gi" is not a YuniKorn quantity; expected a whole number with an optional suffix k M G T P E Ki Mi Gi Ti Pi Ei (m only for vcore), no sign or decimals',
        expect.stringMatching(/^root.a resources.max: vcore "-1" is not a YuniKorn quantity/),
        expect.stringMatching(/^root.a resources.max: pods "10m" is not a YuniKorn quantity/),
        expect.stringMatching(/^root.a resources.max: gpu "1K" is not a YuniKorn quantity/),
      ]);
    });

    test('quantity values: vcore in millicores, memory in bytes, int64 at most', () => {
      expect(parseYunikornQuantity('vcore', '10')).toBe(10000n);
      expect(parseYunikornQuantity('vcore', '500m')).toBe(500n);
      expect(parseYunikornQuantity('memory', '64Gi')).toBe(68719476736n);
      expect(parseYunikornQuantity('memory', '1 G')).toBe(1000000000n);
      expect(parseYunikornQuantity('memory', '9223372036854775807')).toBe(9223372036854775807n);
      expect(parseYunikornQuantity('memory', '9223372036854775808')).toBeUndefined();
      expect(parseYunikornQuantity('memory', '8Ei')).toBeUndefined();
    });

    test("a 'cpu' key is flagged: it is not YuniKorn's CPU", () => {
      expect(problems(partition([leaf('a', undefined, { cpu: '4' })]))).toEqual([
        "root.a resources.max: resource type 'cpu' is not YuniKorn's CPU and limits nothing; expected 'vcore'",
      ]);
    });

    test('guaranteed <= max, for the types max defines', () => {
      expect(problems(partition([leaf('a', { vcore: '20', memory: '1Ti' }, { vcore: '16' })]))).toEqual([
        'root.a: guaranteed vcore 20 is above max vcore 16',
      ]);
    });

    test("a child's max fits the parent's effective max, through every ancestor", () => {
      const config = partition([
        {
          name: 'org',
          parent: true,
          resources: { max: { memory: '100Gi' } },
          queues: [
            {
              name: 'team',
              parent: true,
              resources: { max: { vcore: '10' } },
              queues: [leaf('a', undefined, { memory: '200Gi' })],
            },
          ],
        },
      ]);
      expect(problems(config)).toEqual([
        "root.org.team.a: max memory 200Gi is above the parent's effective max memory 100Gi",
      ]);
    });

    test("the children's guaranteed sum fits the parent's guaranteed", () => {
      const config = partition([
        {
          name: 'p',
          resources: { guaranteed: { vcore: '10' } },
          queues: [leaf('a', { vcore: '6' }), leaf('b', { vcore: '6' })],
        },
      ]);
      expect(problems(config)).toEqual([
        "root.p: the children's guaranteed sum vcore 12 is above the queue's guaranteed vcore 10",
      ]);
    });

    test("the children's guaranteed sum fits the parent's max (over-committed tenants)", () => {
      const config = partition([
        tenants([leaf('a', { vcore: '40' }, { vcore: '48' }), leaf('b', { vcore: '40' }, { vcore: '48' })]),
      ]);
      expect(problems(config)).toEqual([
        "root.tenants: the children's guaranteed sum vcore 80 is above the queue's effective max vcore 64",
      ]);
    });

    test("a parent without guaranteed passes its children's sum up to its own parent", () => {
      const config = partition([
        {
          name: 'org',
          resources: { guaranteed: { memory: '10Gi' } },
          queues: [{ name: 'team', queues: [leaf('a', { memory: '8Gi' }), leaf('b', { memory: '8Gi' })] }],
        },
      ]);
      expect(problems(config)).toEqual([
        "root.org: the children's guaranteed sum memory 16Gi is above the queue's guaranteed memory 10Gi",
      ]);
    });
  });

  describe('placement rules', () => {
    const withRules = (placementrules: unknown[], queues: unknown[] = [tenants([leaf('a')])]) =>
      partition(queues, { placementrules });

    test('rule names are identifiers, and one of provided, user, fixed, tag when applied', () => {
      expect(problems(withRules([{ name: 'my-rule' }, { name: 'recovery' }, { name: 'Provided' }]))).toEqual([
        'partitions[0].placementrules[0]: rule name "my-rule" is not a valid identifier',
        "partitions[0].placementrules[1]: rule name 'recovery' is unknown when the config is applied; expected one of provided, user, fixed, tag",
      ]);
    });

    test('a fixed rule needs a queue name and a tag rule a tag', () => {
      expect(problems(withRules([{ name: 'fixed' }, { name: 'fixed', value: 'root.a.b c' }, { name: 'tag' }]))).toEqual(
        [
          'partitions[0].placementrules[0]: fixed rule value "" is not a queue name; expected dot-separated parts of 1 to 64 letters, digits or _ : # / @ - (no dots)',
          expect.stringMatching(
            /^partitions\[0\].placementrules\[1\]: fixed rule value "root.a.b c" is not a queue name/,
          ),
          "partitions[0].placementrules[2]: tag rule needs a value: the tag to read, e.g. 'namespace'",
        ],
      );
    });

    test('parent rules are checked too', () => {
      expect(problems(withRules([{ name: 'tag', value: 'namespace', parent: { name: 'fixed' } }]))).toEqual([
        expect.stringMatching(/^partitions\[0\].placementrules\[0\].parent: fixed rule value "" is not a queue name/),
      ]);
    });

    test('filters: type allow or deny, a single entry is a name or a regular expression', () => {
      expect(
        problems(
          withRules([{ name: 'provided', filter: { type: 'block', users: ['9lives'], groups: ['^spark-.*$'] } }]),
        ),
      ).toEqual([
        `partitions[0].placementrules[0].filter: filter type "block" is invalid; expected '', allow or deny`,
        'partitions[0].placementrules[0].filter: filter users ["9lives"] is neither a valid name nor a regular expression',
      ]);
    });

    test('only the first fixed rule of a chain may be fully qualified', () => {
      const rule = {
        name: 'tag',
        value: 'namespace',
        create: true,
        parent: { name: 'fixed', value: 'tenants', parent: { name: 'fixed', value: 'root.x' } },
      };
      expect(
        problems(
          withRules([
            { ...rule, parent: { name: 'fixed', value: 'root.tenants', parent: { name: 'fixed', value: 'root' } } },
          ]),
        ),
      ).toEqual([
        'partitions[0].placementrules[0]: only the first fixed rule of a chain may be fully qualified; got "root.tenants"',
      ]);
    });

    test('a static path to a missing queue needs create', () => {
      expect(problems(withRules([{ name: 'fixed', value: 'root.missing' }]))).toEqual([
        "partitions[0].placementrules[0]: rule no. 0 (fixed) references non-existing queue 'root.missing' and create is false",
      ]);
    });

    test('a static path must end on a leaf, unless dynamic rules follow', () => {
      expect(problems(withRules([{ name: 'fixed', value: 'root.tenants' }]))).toEqual([
        "partitions[0].placementrules[0]: rule no. 0 (fixed) references queue 'root.tenants', which is not a leaf",
      ]);
    });

    test('a static path followed by dynamic rules must be a parent queue (the parent flag)', () => {
      const queues = [{ name: 'tenants', queues: [leaf('a')] }];
      expect(problems(withRules([RULES[1]], queues))).toEqual([
        "partitions[0].placementrules[0]: rule no. 0 (fixed->tag) references queue 'root.tenants', which must be a parent (parent: true) for the rules that follow",
      ]);
    });

    test('a queue cannot be created below a leaf', () => {
      expect(
        problems(
          withRules([
            { name: 'tag', value: 'namespace', create: true, parent: { name: 'fixed', value: 'root.tenants.a.b' } },
          ]),
        ),
      ).toEqual([
        "partitions[0].placementrules[0]: rule no. 0 (fixed->tag) references queue 'root.tenants.a.b', which cannot be created because 'root.tenants.a' is a leaf",
      ]);
    });
  });

  test('node sort policy: fair or binpacking, weights >= 0', () => {
    expect(
      problems(
        partition([leaf('a')], { nodesortpolicy: { type: 'spread', resourceweights: { vcore: 1, memory: -0.5 } } }),
      ),
    ).toEqual([
      'partitions[0].nodesortpolicy: type "spread" is unknown; expected fair or binpacking',
      'partitions[0].nodesortpolicy: resourceweights.memory is -0.5; expected a weight >= 0',
    ]);
  });

  test('maxapplications on a parent is mandatory, and no larger, on its children', () => {
    expect(
      problems(
        partition([
          {
            name: 'p',
            maxapplications: 10,
            queues: [
              leaf('a'),
              leaf('b', undefined, undefined, { maxapplications: 20 }),
              leaf('c', undefined, undefined, { maxapplications: 5 }),
            ],
          },
        ]),
      ),
    ).toEqual([
      "root.p.a: maxapplications 0 must be set and at most the parent's 10",
      "root.p.b: maxapplications 20 must be set and at most the parent's 10",
    ]);
  });

  describe('limits', () => {
    const limited = (limits: unknown[], extra: object = {}) =>
      partition([leaf('a', undefined, { vcore: '10', memory: '10Gi' }, { limits, ...extra })]);

    test('a limit names users or groups, valid ones, once each, wildcards last', () => {
      expect(
        problems(
          limited([
            { limit: 'none', maxapplications: 1 },
            { users: ['1bad', 'alice'], maxapplications: 1 },
            { users: ['alice', '*'], maxapplications: 1 },
            { users: ['bob'], maxapplications: 1 },
          ]),
        ),
      ).toEqual([
        'root.a limits[0]: a limit needs at least one user or group',
        'root.a limits[1]: user name "1bad" is invalid',
        "root.a limits[2]: user 'alice' already has a limit on this queue",
        "root.a limits[3]: user 'bob' comes after the wildcard user limit; the wildcard must come last",
      ]);
    });

    test('the wildcard group may not be the only group limit', () => {
      expect(problems(limited([{ groups: ['*'], maxapplications: 1 }]))).toEqual([
        'root.a limits[0]: the wildcard group may not be the only group limit; limit at least one named group',
      ]);
    });

    test('a limit limits something, within the queue', () => {
      expect(
        problems(
          limited(
            [
              { users: ['a'], maxresources: { vcore: '0' } },
              { users: ['b'] },
              { users: ['c'], maxapplications: 9 },
              { users: ['d'], maxresources: { memory: '20Gi' } },
            ],
            { maxapplications: 5 },
          ),
        ),
      ).toEqual([
        'root.a limits[0]: maxresources are all zero; expected at least one value above zero',
        'root.a limits[1]: all resource limits are null; expected maxapplications or maxresources',
        "root.a limits[2]: maxapplications 9 is above the queue's 5",
        "root.a limits[3]: maxresources memory 20Gi is above the queue's max memory 10Gi",
      ]);
    });

    test('partition limits are root limits; both set must agree', () => {
      const config = {
        partitions: [
          {
            name: 'default',
            limits: [{ users: ['a'], maxapplications: 1 }],
            queues: [{ name: 'root', limits: [{ users: ['b'], maxapplications: 1 }] }],
          },
        ],
      };
      expect(problems(config)).toEqual([
        'partitions[0].limits: partition limits and root queue limits are both set and differ; set them in one place',
      ]);
    });

    test("a user's limit on a child fits the same user's, or the wildcard's, limit on the nearest limited ancestor", () => {
      const config = {
        partitions: [
          {
            name: 'default',
            limits: [
              { users: ['alice'], maxresources: { vcore: '4' }, maxapplications: 2 },
              { users: ['*'], maxresources: { vcore: '2' } },
            ],
            queues: [
              {
                name: 'root',
                queues: [
                  {
                    name: 'p',
                    queues: [
                      leaf('a', undefined, undefined, {
                        limits: [
                          { users: ['alice'], maxresources: { vcore: '8' } },
                          { users: ['bob'], maxresources: { vcore: '3' }, maxapplications: 1 },
                        ],
                      }),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      };
      expect(problems(config)).toEqual([
        "root.p.a: user 'alice' maxresources vcore 8 is above the ancestor limit vcore 4",
        "root.p.a: user 'alice' maxapplications unlimited is above the ancestor limit 2",
        "root.p.a: user 'bob' maxresources vcore 3 is above the ancestor limit vcore 2",
      ]);
    });
  });

  test('every problem is reported, not just the first', () => {
    const config = partition(
      [tenants([leaf('a.b', { vcore: '20' }, { vcore: '10' }), leaf('c', undefined, { cpu: '1' })])],
      { nodesortpolicy: { type: 'x' } },
    );
    expect(problems(config)).toHaveLength(4);
  });
});
