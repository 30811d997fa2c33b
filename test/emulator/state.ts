import type { APIGuildMember, APIRole, APIUser } from 'discord.js';
import { ChannelType, THREAD_TYPES } from './constants.js';
import { snowflake } from './snowflake.js';

/** A permission overwrite as Discord serializes it (type 0 = role, 1 = member). */
export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface ThreadMetadata {
  archived: boolean;
  auto_archive_duration: number;
  archive_timestamp: string;
  locked: boolean;
  create_timestamp: string;
  invitable?: boolean;
}

/** Channels are kept in their wire shape so routes and gateway events can send them as is. */
export interface ChannelRecord {
  id: string;
  type: number;
  flags: number;
  last_message_id: string | null;
  guild_id?: string;
  name?: string;
  position?: number;
  parent_id?: string | null;
  topic?: string | null;
  nsfw?: boolean;
  rate_limit_per_user?: number;
  permission_overwrites?: Overwrite[];
  recipients?: APIUser[];
  owner_id?: string;
  thread_metadata?: ThreadMetadata;
  message_count?: number;
  member_count?: number;
  total_message_sent?: number;
}

export interface GuildRecord {
  id: string;
  name: string;
  owner_id: string;
  preferred_locale: string;
  roles: APIRole[];
  members: Map<string, APIGuildMember>;
  joined_at: string;
}

/** Per-user facts that are not part of the user object Discord exposes. */
export interface UserRecord {
  user: APIUser;
  locale: string;
  dmsDisabled: boolean;
}

/**
 * The emulated world: users, guilds (with roles and members) and channels.
 * Messages, commands and interactions live in their own stores.
 */
export class EmulatorState {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();

  constructor(readonly botUser: APIUser) {
    this.users.set(botUser.id, { user: botUser, locale: 'en-US', dmsDisabled: false });
  }

  user(id: string): APIUser | undefined {
    return this.users.get(id)?.user;
  }

  guild(id: string): GuildRecord | undefined {
    return this.guilds.get(id);
  }

  channel(id: string): ChannelRecord | undefined {
    return this.channels.get(id);
  }

  member(guildId: string, userId: string): APIGuildMember | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  userByName(username: string): APIUser {
    for (const { user } of this.users.values()) if (user.username === username) return user;
    throw new Error(`emulator: no user named '${username}'`);
  }

  guildByName(name: string): GuildRecord {
    for (const guild of this.guilds.values()) if (guild.name === name) return guild;
    throw new Error(`emulator: no guild named '${name}'`);
  }

  channelByName(guildId: string, name: string): ChannelRecord {
    for (const channel of this.channels.values()) {
      if (channel.guild_id === guildId && channel.name === name) return channel;
    }
    throw new Error(`emulator: no channel '${name}' in guild ${guildId}`);
  }

  roleByName(guildId: string, name: string): APIRole {
    const role = this.guilds.get(guildId)?.roles.find((r) => r.name === name);
    if (!role) throw new Error(`emulator: no role '${name}' in guild ${guildId}`);
    return role;
  }

  /** Non-thread channels of a guild, as GET /guilds/{id}/channels and GUILD_CREATE list them. */
  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.guild_id === guildId && !THREAD_TYPES.includes(c.type));
  }

  activeThreads(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter(
      (c) => c.guild_id === guildId && THREAD_TYPES.includes(c.type) && !c.thread_metadata?.archived,
    );
  }

  /** The bot's DM channel with a user; Discord returns the same channel on every open. */
  openDm(userId: string): ChannelRecord {
    for (const channel of this.channels.values()) {
      if (channel.type === ChannelType.DM && channel.recipients?.[0]?.id === userId) return channel;
    }
    const recipient = this.user(userId);
    if (!recipient) throw new Error(`emulator: no user ${userId}`);
    const dm: ChannelRecord = { id: snowflake(), type: ChannelType.DM, flags: 0, last_message_id: null, recipients: [recipient] };
    this.channels.set(dm.id, dm);
    return dm;
  }

  /** The guild object of GET /guilds/{id}; GUILD_CREATE extends it with channels and members. */
  guildObject(guild: GuildRecord): Record<string, unknown> {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.owner_id,
      afk_channel_id: null,
      afk_timeout: 300,
      system_channel_id: this.guildChannels(guild.id)[0]?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      widget_enabled: false,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: guild.preferred_locale,
      max_members: 500000,
      max_video_channel_users: 25,
      application_id: null,
      vanity_url_code: null,
      features: [],
      roles: guild.roles,
      emojis: [],
      stickers: [],
    };
  }
}
