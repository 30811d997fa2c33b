import type { APIGuildMember, APIRole, APIUser, GuildMemberFlags, RoleFlags, UserFlags } from 'discord.js';
import { ChannelType, DEFAULT_EVERYONE_PERMISSIONS, Permission } from './constants.js';
import type { ChannelRecord, EmulatorState, GuildRecord, Overwrite } from './state.js';
import { snowflake } from './snowflake.js';

export interface RoleSeed {
  name: string;
  permissions?: bigint;
  color?: number;
}

export interface OverwriteSeed {
  /** A role name of this guild, or '@everyone'. Exactly one of role / user. */
  role?: string;
  /** A username of a member of this guild. */
  user?: string;
  allow?: bigint;
  deny?: bigint;
}

export interface ChannelSeed {
  name: string;
  type?: 'text' | 'announcement' | 'category';
  topic?: string;
  /** Name of a category seeded earlier in the same guild. */
  parent?: string;
  overwrites?: OverwriteSeed[];
}

export interface MemberSeed {
  username: string;
  /** Role names of this guild. */
  roles?: string[];
  nick?: string;
  owner?: boolean;
  locale?: string;
  /** The user blocks DMs: sending to their DM channel fails with 50007. */
  dmsDisabled?: boolean;
}

export interface GuildSeed {
  name: string;
  everyonePermissions?: bigint;
  roles?: RoleSeed[];
  channels?: ChannelSeed[];
  members?: MemberSeed[];
  /** Permissions of the bot's managed integration role (what the invite link granted). */
  botPermissions?: bigint;
}

export const DEFAULT_SEED: GuildSeed[] = [
  {
    name: 'Emulated Guild',
    roles: [{ name: 'Admin', permissions: Permission.Administrator }],
    channels: [{ name: 'general' }],
    members: [{ username: 'owner', roles: ['Admin'], owner: true }, { username: 'member' }],
  },
];

const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS | Permission.ManageMessages | Permission.ManageThreads;

/** Users are created at a random point in Discord's history, so their ids have 18-19 digits. */
function pastTimestamp(): number {
  const start = Date.UTC(2016, 0, 1);
  return start + Math.floor(Math.random() * (Date.now() - start));
}

export function makeUser(username: string, bot = false): APIUser {
  return {
    id: snowflake(pastTimestamp()),
    username,
    // Bots keep a 4-digit discriminator; migrated users have '0'.
    discriminator: bot ? String(1000 + Math.floor(Math.random() * 9000)) : '0',
    global_name: bot ? null : username,
    avatar: null,
    bot: bot || undefined,
    banner: null,
    accent_color: null,
    // Numeric enums without a 0 member need the cast; 0 is what Discord sends for "no flags".
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
  };
}

function ensureUser(state: EmulatorState, seed: Pick<MemberSeed, 'username' | 'locale' | 'dmsDisabled'>): APIUser {
  const existing = [...state.users.values()].find((r) => r.user.username === seed.username);
  if (existing) return existing.user;
  const user = makeUser(seed.username);
  state.users.set(user.id, { user, locale: seed.locale ?? 'en-US', dmsDisabled: seed.dmsDisabled ?? false });
  return user;
}

function role(id: string, name: string, permissions: bigint, position: number, extra: Partial<APIRole> = {}): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...extra,
  };
}

function member(user: APIUser, roles: string[], joinedAt: string, nick: string | null = null): APIGuildMember {
  return { user, roles, nick, avatar: null, banner: null, premium_since: null, joined_at: joinedAt, deaf: false, mute: false, flags: 0 as GuildMemberFlags, pending: false, communication_disabled_until: null };
}

function resolveOverwrite(guild: GuildRecord, state: EmulatorState, seed: OverwriteSeed): Overwrite {
  const allow = (seed.allow ?? 0n).toString();
  const deny = (seed.deny ?? 0n).toString();
  if (seed.user) return { id: state.userByName(seed.user).id, type: 1, allow, deny };
  // The @everyone role shares the guild's id.
  const id = seed.role === '@everyone' ? guild.id : state.roleByName(guild.id, seed.role ?? '').id;
  return { id, type: 0, allow, deny };
}

export function seedGuild(state: EmulatorState, seed: GuildSeed): GuildRecord {
  const id = snowflake(pastTimestamp());
  const joinedAt = new Date().toISOString();
  const roles = [role(id, '@everyone', seed.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, 0)];
  for (const [index, r] of (seed.roles ?? []).entries()) {
    roles.push(role(snowflake(), r.name, r.permissions ?? 0n, index + 1, { color: r.color ?? 0 }));
  }
  const bot = state.botUser;
  const botRole = role(snowflake(), bot.username, seed.botPermissions ?? DEFAULT_BOT_PERMISSIONS, roles.length, {
    managed: true,
    tags: { bot_id: bot.id },
  });
  roles.push(botRole);

  const memberSeeds = seed.members ?? [];
  const users = memberSeeds.map((m) => ensureUser(state, m));
  const ownerIndex = Math.max(0, memberSeeds.findIndex((m) => m.owner));
  const owner = users[ownerIndex] ?? ensureUser(state, { username: `${seed.name.toLowerCase().replace(/\W+/g, '-')}-owner` });
  const guild: GuildRecord = { id, name: seed.name, owner_id: owner.id, preferred_locale: 'en-US', roles, members: new Map(), joined_at: joinedAt };
  state.guilds.set(id, guild);

  const roleIds = (names: string[] = []) => names.map((n) => state.roleByName(id, n).id);
  memberSeeds.forEach((m, i) => guild.members.set(users[i]!.id, member(users[i]!, roleIds(m.roles), joinedAt, m.nick)));
  if (!guild.members.has(owner.id)) guild.members.set(owner.id, member(owner, [], joinedAt));
  guild.members.set(bot.id, member(bot, [botRole.id], joinedAt));

  const types = { text: ChannelType.GuildText, announcement: ChannelType.GuildAnnouncement, category: ChannelType.GuildCategory };
  for (const [position, c] of (seed.channels ?? [{ name: 'general' }]).entries()) {
    const channel: ChannelRecord = {
      id: snowflake(),
      type: types[c.type ?? 'text'],
      guild_id: id,
      name: c.name,
      position,
      flags: 0,
      parent_id: c.parent ? state.channelByName(id, c.parent).id : null,
      topic: c.topic ?? null,
      nsfw: false,
      rate_limit_per_user: 0,
      last_message_id: null,
      permission_overwrites: (c.overwrites ?? []).map((o) => resolveOverwrite(guild, state, o)),
    };
    state.channels.set(channel.id, channel);
  }
  return guild;
}

/** Opens DM channels between the bot and the named users (creating users that no guild has). */
export function seedDms(state: EmulatorState, usernames: string[]): void {
  for (const username of usernames) state.openDm(ensureUser(state, { username }).id);
}
