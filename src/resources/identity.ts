import { z } from 'zod';

/**
 * Whose cloud account a project deploys into: a reference to an identity, never a secret. AWS assumes a
 * role from the bot's base credentials (session name = the Cloud Engine session); GCP impersonates a
 * service account; Azure signs in as an app registration whose secret the operator keeps in the
 * environment. What a project admin types can never reach another project's account: AWS runs always
 * present the external id Cloud Engine derives from the project (the role's trust policy requires it);
 * the Azure secret is read only from the project's own variable; a GCP service account is used only when
 * the operator bound it to the project (see core/identity.ts).
 */
const awsIdentity = z.object({
  provider: z.literal('aws'),
  role_arn: z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/cloud-engine-deployer'),
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
}).strict();
export const identitySchema = z.discriminatedUnion('provider', [awsIdentity, gcpIdentity, azureIdentity]);

export type CloudIdentity = z.infer<typeof identitySchema>;
