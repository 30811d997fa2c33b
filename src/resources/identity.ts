import { z } from 'zod';

/**
 * Whose cloud account a project deploys into: a reference to an identity, never a secret. AWS assumes a
 * role from the bot's base credentials (session name = the Cloud Engine session); GCP impersonates a
 * service account; Azure signs in as an app registration whose secret the operator keeps in an
 * environment variable the admin names (only `CLOUD_ENGINE_SECRET_*` ones: an admin must not be able to
 * hand Terraform the bot's token or any other variable of the operator's).
 */
const awsIdentity = z.object({
  provider: z.literal('aws'),
  role_arn: z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/cloud-engine-deployer'),
  external_id: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2-1224 letters, digits or +=,.@:/-').optional(),
}).strict();
const gcpIdentity = z.object({
  provider: z.literal('gcp'),
  service_account: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/, 'must be a service account e-mail such as deployer@my-project.iam.gserviceaccount.com'),
}).strict();
const uuid = (what: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `must be the ${what} (a GUID)`);
const azureIdentity = z.object({
  provider: z.literal('azure'),
  client_id: uuid('application (client) id'),
  tenant_id: uuid('directory (tenant) id'),
  subscription_id: uuid('subscription id'),
  secret_env: z.string().regex(/^CLOUD_ENGINE_SECRET_[A-Z0-9_]{1,64}$/, 'must name an environment variable of the bot starting with CLOUD_ENGINE_SECRET_ (it holds the client secret)'),
}).strict();
export const identitySchema = z.discriminatedUnion('provider', [awsIdentity, gcpIdentity, azureIdentity]);

export type CloudIdentity = z.infer<typeof identitySchema>;
