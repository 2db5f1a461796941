import * as pulumi from '@pulumi/pulumi';

/** A resource the mocked engine saw registered. */
export interface MockedResource {
  readonly type: string;
  readonly name: string;
  /** The id the mock gave the resource (what another resource's `bucket: bucket.id` input resolves to). */
  readonly id: string;
  readonly inputs: Record<string, any>;
  readonly parent?: string;
  readonly dependsOn?: string[];
}

/**
 * Installs Pulumi mocks that record every registered resource. Call in `beforeAll` *before* importing the program
 * (a static import would run the program before the mocks exist). Invokes answer from `invokes` by token.
 */
export async function installMocks(
  stack: string,
  config: Record<string, string> = {},
  invokes: Record<string, (inputs: any) => Record<string, any>> = {},
): Promise<MockedResource[]> {
  const seen: MockedResource[] = [];
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = args.inputs.name ?? `${args.name}-id`;
        seen.push({ type: args.type, name: args.name, id, inputs: args.inputs });
        return { id, state: { ...args.inputs, arn: `arn:aws:mock:::${args.type}/${args.name}`, id } };
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
  return seen;
}

/** Resolves an Output in a test (Output.promise() is internal). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}
