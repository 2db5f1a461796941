import { z } from 'zod';
import { cidr, count, dnsLabel } from './common';

/** A tenant's interactive Spark Connect server; absent means the tenant has none. */
export const SparkConnectSchema = z
  .strictObject({
    /** Namespaces whose pods may open sessions (e.g. the notebook namespace). */
    clientNamespaces: z.array(dnsLabel()).optional(),
    /** Address ranges that may open sessions; never 0.0.0.0/0, since the server runs code for whoever connects. */
    clientCidrs: z
      .array(
        cidr.refine(
          (c) => c !== '0.0.0.0/0',
          'a range narrower than 0.0.0.0/0 (the server runs code for whoever connects)',
        ),
      )
      .optional(),
    /** Most executors a session may hold at once; the server idles with none. Default: the interactive profile's. */
    maxExecutors: count(1).optional(),
  })
  .refine(
    (c) => (c.clientNamespaces?.length ?? 0) + (c.clientCidrs?.length ?? 0) > 0,
    'at least one of clientNamespaces or clientCidrs: a server nobody may reach is of no use',
  );

export type SparkConnectConfig = z.infer<typeof SparkConnectSchema>;
