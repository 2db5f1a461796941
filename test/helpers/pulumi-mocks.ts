import * as pulumi from '@pulumi/pulumi';

/** A resource the mocked engine saw registered. */
export interface MockedResource {
  readonly type: string;
  readonly name: string;
  /** The id the mock gave the resource (what another resource's `bucket: bucket.id` input resolves to). */
  readonly id: string;
  readonly inputs: Record<string, any>;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** URNs this resource depends on, as sent to the engine (explicit `dependsOn` plus input dependencies). */
  readonly dependsOn?: string[];
  /** This resource's URN. */
  readonly urn?: string;
  /** Provider reference (`<provider urn>::<id>`) the resource is managed with. */
  readonly provider?: string;
  /** The `protect` resource option as sent to the engine. */
  readonly protect?: boolean;
  /** The `retainOnDelete` resource option as sent to the engine. */
  readonly retainOnDelete?: boolean;
  /** The `ignoreChanges` resource option as sent to the engine. */
  readonly ignoreChanges?: string[];
}

/** Extra output state a mocked resource reports, per resource type (e.g. the values AWS computes). */
export type MockStates = Record<string, (args: pulumi.runtime.MockResourceArgs) => Record<string, any>>;

/**
 * Installs Pulumi mocks that record every registered resource. Call in `beforeAll` *before* importing the program
 * (a static import would run the program before the mocks exist). Invokes answer from `invokes` by token; `states`
 * adds computed outputs per resource type. Besides inputs, each record carries what the program sent the engine:
 * URN, parent, dependencies, provider, `protect` and `retainOnDelete`.
 */
export async function installMocks(
  stack: string,
  config: Record<string, string> = {},
  invokes: Record<string, (inputs: any) => Record<string, any>> = {},
  states: MockStates = {},
): Promise<MockedResource[]> {
  const seen: any[] = [];
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = args.inputs.name ?? `${args.name}-id`;
        seen.push({ type: args.type, name: args.name, id, inputs: args.inputs });
        const extra = states[args.type]?.(args) ?? {};
        return { id, state: { arn: `arn:aws:mock:::${args.type}/${args.name}`, ...args.inputs, id, ...extra } };
      },
      call(args) {
        const answer = invokes[args.token];
        if (!answer) throw new Error(`unmocked invoke ${args.token}`);
        return answer(args.inputs);
      },
    },
    'dataplane',
    stack,
    false,
    // What a self-managed backend reports as the organization.
    'organization',
  );
  // The mock monitor drops resource options; read them off the registration request on the way through.
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, res: any) => void) =>
    register(req, (err: any, res: any) => {
      const record = [...seen]
        .reverse()
        .find((r) => r.type === req.getType() && r.name === req.getName() && r.urn === undefined);
      if (record && res) {
        Object.assign(record, {
          urn: res.getUrn(),
          parent: req.getParent() || undefined,
          dependsOn: req.getDependenciesList(),
          provider: req.getProvider() || undefined,
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete(),
          ignoreChanges: req.getIgnorechangesList(),
        });
      }
      callback(err, res);
    });
  return seen;
}

/** Resolves an Output in a test (Output.promise() is internal). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    output.apply((v) => {
      resolve(v);
      return v;
    }),
  );
}

/** Lets the mocked engine finish registering everything the program started. */
export function settle(ms = 200): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The name part of a URN (`urn:pulumi:stack::project::type::name`). */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}
