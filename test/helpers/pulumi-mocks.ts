import * as pulumi from '@pulumi/pulumi';

/** A resource the mocked engine saw registered. */
export interface MockedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  /** URN of the parent resource (absent for the stack's direct children). */
  readonly parent?: string;
  /** URNs the engine was told this resource depends on (explicit `dependsOn`, expanded through components, plus inputs). */
  readonly dependsOn?: string[];
}

/** The name part of a URN (`urn:pulumi:stack::project::type::name`). */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}

/**
 * Installs Pulumi mocks that record every registered resource with its parent and dependencies (which `MockResourceArgs`
 * lacks: they are read from the registration request). Call in `beforeAll` *before* importing the program (a static import
 * would run the program before the mocks exist). Invokes answer from `invokes` by token; `outputs` adds computed outputs
 * (what the provider would return) by resource type.
 */
export async function installMocks(
  stack: string,
  config: Record<string, string> = {},
  invokes: Record<string, (inputs: any) => Record<string, any>> = {},
  outputs: Record<string, (inputs: any) => Record<string, any>> = {},
): Promise<MockedResource[]> {
  const seen: MockedResource[] = [];
  let request: { getParent(): string; getDependenciesList(): string[] } | undefined;
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        seen.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          parent: request?.getParent() || undefined,
          dependsOn: request?.getDependenciesList(),
        });
        const id = args.inputs.name ?? `${args.name}-id`;
        return { id, state: { ...args.inputs, ...outputs[args.type]?.(args.inputs), arn: `arn:aws:mock:::${args.type}/${args.name}`, id } };
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
  );
  // The mock monitor calls newResource synchronously from registerResource, so the request is current during that call.
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: unknown) => {
    request = req;
    try {
      return register(req, callback);
    } finally {
      request = undefined;
    }
  };
  return seen;
}

/** Resolves an Output in a test (Output.promise() is internal). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}
