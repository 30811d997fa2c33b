import type { CatalogTypes } from './catalog.js';
import { shapes } from './catalog.js';

const burstable: Array<[string, number, number]> = [
  ['nano', 2, 0.5], ['micro', 2, 1], ['small', 2, 2], ['medium', 2, 4], ['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32],
];
const sized = (ratio: number): Array<[string, number, number]> => [
  ['large', 2, 2 * ratio], ['xlarge', 4, 4 * ratio], ['2xlarge', 8, 8 * ratio], ['4xlarge', 16, 16 * ratio],
];

const ec2 = {
  ...shapes('t3', '.', burstable),
  ...shapes('t3a', '.', burstable),
  ...shapes('t4g', '.', burstable),
  ...shapes('m5', '.', sized(4)),
  ...shapes('m6i', '.', sized(4)),
  ...shapes('c5', '.', sized(2)),
  ...shapes('c6i', '.', sized(2)),
  ...shapes('r5', '.', sized(8)),
  ...shapes('r6i', '.', sized(8)),
};

const rds = {
  ...shapes('t3', '.', burstable.filter(([s]) => s !== 'nano'), 'db.'),
  ...shapes('t4g', '.', burstable.filter(([s]) => s !== 'nano'), 'db.'),
  ...shapes('m5', '.', sized(4), 'db.'),
  ...shapes('m6i', '.', sized(4), 'db.'),
  ...shapes('r5', '.', sized(8), 'db.'),
  ...shapes('r6i', '.', sized(8), 'db.'),
};


export const awsCatalog: CatalogTypes = {
  provider: 'aws',
  label: 'AWS',
  defaultRegion: 'us-east-1',
  machineTypes: ec2,
  defaultMachineType: 't3.medium',
  customFamilies: [],
  diskTypes: ['gp3', 'gp2', 'io1'],
  defaultDiskType: 'gp3',
  diskSizeGb: { min: 8, max: 16384 },
  images: ['ubuntu-22.04', 'ubuntu-24.04', 'debian-12', 'amazon-linux-2023'],
  imagePattern: /^ami-[0-9a-f]{8,17}$/,
  imageHint: 'an AMI id such as ami-0abcdef1234567890',
  defaultImage: 'ubuntu-24.04',
  dbVersions: { postgres: ['13', '14', '15', '16', '17'], mysql: ['8.0', '8.4'] },
  dbTiers: rds,
  defaultDbTier: 'db.t3.micro',
  dbStorageGb: { min: 20, max: 65536 },
  storageClasses: ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
  defaultStorageClass: 'STANDARD',
};
