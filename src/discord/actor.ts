import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { Actor } from '../policy/permissions.js';

/**
 * Who is acting, from the interaction alone (no extra API call): Manage Server covers Administrator
 * too, and the configured admin role counts as well. The orchestrator decides everything else.
 */
export function actorOf(i: Interaction, adminRoleId?: string): Actor | undefined {
  if (!i.inGuild()) return undefined;
  const roles = i.member.roles;
  const roleIds = Array.isArray(roles) ? roles : [...roles.cache.keys()];
  const isGuildAdmin = Boolean(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) || (adminRoleId !== undefined && roleIds.includes(adminRoleId));
  return { userId: i.user.id, userName: i.user.username, guildId: i.guildId, isGuildAdmin };
}

/** The bot itself, reading a session of `guildId` to redraw its lobby after someone else's action. */
export function botActor(botUserId: string, guildId: string): Actor {
  return { userId: botUserId, userName: 'cloud-engine', guildId, isGuildAdmin: true };
}
