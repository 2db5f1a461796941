import { z } from 'zod';
import { isQuantity, parseQuantity } from '../quantity';

/** A DNS-1123 label: what Kubernetes requires of namespace names and most name parts. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label of at most `max` characters (63 unless a derived name needs room for a suffix). */
export const dnsLabel = (max = 63) =>
  z
    .string()
    .max(max, `a DNS label of at most ${max} characters`)
    .regex(DNS_LABEL, 'a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit');

/** A non-negative Kubernetes quantity, written as a number (`16`) or a string (`500m`, `64Gi`); kept as given. */
export const quantity = (what: string) =>
  z
    .union([z.number(), z.string()], { error: `a Kubernetes quantity for ${what} (e.g. 4, 500m, 64Gi)` })
    .refine(isQuantity, `a Kubernetes quantity for ${what} (e.g. 4, 500m, 64Gi)`)
    .refine((v) => !isQuantity(v) || parseQuantity(v) >= 0, `a non-negative quantity for ${what}`)
    .transform(String);

/** A whole number >= `min`. */
export const count = (min = 0) => z.number().int(`a whole number`).min(min, `a whole number >= ${min}`);

/** An IPv4 CIDR block such as 10.0.0.0/16. */
export const cidr = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/,
    'an IPv4 CIDR block such as 10.0.0.0/16',
  );

/** An AWS region name such as eu-west-1. */
export const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as eu-west-1');
