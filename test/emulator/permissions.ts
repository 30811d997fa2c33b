import { ALL_PERMISSIONS, DM_PERMISSIONS, Permission, THREAD_TYPES } from './constants.js';
import { Errors } from './errors.js';
import type { ChannelRecord, EmulatorState } from './state.js';

/** Discord's documented permission algorithm: base (roles) then channel overwrites. */
function basePermissions(state: EmulatorState, guildId: string, userId: string): bigint {
  const guild = state.guild(guildId);
  const member = guild?.members.get(userId);
  if (!guild || !member) return 0n;
  if (guild.owner_id === userId) return ALL_PERMISSIONS;
  let permissions = 0n;
  for (const role of guild.roles) {
    // The @everyone role has the guild's id and applies to every member.
    if (role.id === guild.id || member.roles.includes(role.id)) permissions |= BigInt(role.permissions);
  }
  return permissions & Permission.Administrator ? ALL_PERMISSIONS : permissions;
}

export function channelPermissions(state: EmulatorState, channel: ChannelRecord, userId: string): bigint {
  if (!channel.guild_id) return DM_PERMISSIONS;
  // Threads inherit their parent's overwrites.
  const source = THREAD_TYPES.includes(channel.type) && channel.parent_id ? state.channel(channel.parent_id) ?? channel : channel;
  const base = basePermissions(state, channel.guild_id, userId);
  if (base & Permission.Administrator) return ALL_PERMISSIONS;
  const member = state.member(channel.guild_id, userId);
  const overwrites = source.permission_overwrites ?? [];
  const apply = (permissions: bigint, allow: bigint, deny: bigint) => (permissions & ~deny) | allow;

  let permissions = base;
  const everyone = overwrites.find((o) => o.id === channel.guild_id);
  if (everyone) permissions = apply(permissions, BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && member?.roles.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  permissions = apply(permissions, allow, deny);
  const own = overwrites.find((o) => o.type === 1 && o.id === userId);
  if (own) permissions = apply(permissions, BigInt(own.allow), BigInt(own.deny));
  // Without View Channel nothing else in the channel is usable.
  return permissions & Permission.ViewChannel ? permissions : 0n;
}

/**
 * Throws what Discord answers when the bot lacks access: 50001 if it cannot see the
 * channel at all, 50013 if it can but lacks one of `required`.
 */
export function requireChannelPermissions(state: EmulatorState, channel: ChannelRecord, required: bigint): void {
  const permissions = channelPermissions(state, channel, state.botUser.id);
  if (!(permissions & Permission.ViewChannel)) throw Errors.missingAccess();
  if ((permissions & required) !== required) throw Errors.missingPermissions();
}
