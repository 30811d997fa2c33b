import { parseSpec } from '../resources/validate.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';

/**
 * One example per sheet, written as a user would (the rest comes from the provider's defaults)
 * and passed through parseSpec, so the template's example row is valid by construction. The
 * firewall rule uses the example network, so the examples are also a valid configuration.
 */
const INPUTS = [
  { type: 'compute_vm', name: 'web-1', labels: { owner: 'alice', environment: 'dev' } },
  { type: 'database', name: 'app-db' },
  { type: 'vpc_network', name: 'main-net', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }, { name: 'data', cidr: '10.0.2.0/24' }] },
  { type: 'storage_bucket', name: 'assets', storage_gb: 100, lifecycle_days: 90 },
  { type: 'firewall_rule', name: 'allow-https', network: 'main-net', ports: ['443'], source_ranges: ['0.0.0.0/0'] },
];

export const exampleSpecs = (provider: Provider): ResourceSpec[] => INPUTS.map((input) => parseSpec(provider, input));
