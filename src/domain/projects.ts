import type { Provider } from './resources.js';

export interface ProjectSettings {
  allow_self_approval: boolean;
  auto_tag: boolean;
  git_remote_url?: string;
  git_auto_push?: boolean;
  alert_channel_id?: string;
  /** Which cloud identity runs deploy as (a reference, never a secret); core/identity.ts validates it. */
  cloud_identity?: Record<string, string>;
}

export interface Project {
  id: string;
  guildId: string;
  description: string;
  defaultProvider: Provider;
  budgetLimitMicros: number;
  settings: ProjectSettings;
  createdBy: string;
  createdAt: string;
}

export const DEFAULT_SETTINGS: ProjectSettings = { allow_self_approval: false, auto_tag: false };

export const ROLES = ['viewer', 'deployer', 'approver', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export interface Member {
  projectId: string;
  userId: string;
  role: Role;
  grantedBy: string;
  grantedAt: string;
}

export interface Quota {
  projectId: string;
  maxResources: number | null;
  maxMonthlyCostMicros: number | null;
  allowedRegions: string[] | null;
  allowedMachineTypes: string[] | null;
  updatedBy: string;
  updatedAt: string;
}

export interface BudgetAlert {
  id: number;
  projectId: string;
  thresholdMicros: number;
  createdBy: string;
  createdAt: string;
  above: boolean;
  lastTriggeredAt: string | null;
  lastValueMicros: number | null;
}

