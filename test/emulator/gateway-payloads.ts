import { Intents } from './constants.js';
import type { EmulatorState, GuildRecord } from './state.js';

/** Application flags Discord sets when a privileged intent is enabled for the app. */
const PRIVILEGED_FLAGS: [intent: number, flag: number][] = [
  [Intents.GuildPresences, 1 << 13],
  [Intents.GuildMembers, 1 << 15],
  [Intents.MessageContent, 1 << 19],
];

export function applicationFlags(privilegedIntents: number): number {
  const APPLICATION_COMMAND_BADGE = 1 << 23;
  return PRIVILEGED_FLAGS.reduce((flags, [intent, flag]) => (privilegedIntents & intent ? flags | flag : flags), APPLICATION_COMMAND_BADGE);
}

/** Which shard receives a guild's events: (guild_id >> 22) % num_shards. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export function readyPayload(
  state: EmulatorState,
  options: { sessionId: string; resumeUrl: string; shard: [number, number]; guilds: GuildRecord[]; applicationFlags: number },
): object {
  return {
    v: 10,
    user_settings: {},
    user: { ...state.botUser, verified: true, mfa_enabled: false, email: null, bot: true },
    guilds: options.guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: options.sessionId,
    session_type: 'normal',
    resume_gateway_url: options.resumeUrl,
    shard: options.shard,
    application: { id: state.botUser.id, flags: options.applicationFlags },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['us-east'],
    auth: {},
    _trace: ['["gateway-emulator",{"micros":0}]'],
  };
}

/**
 * GUILD_CREATE as Discord sends it after READY. Without the privileged GUILD_MEMBERS
 * intent a bot only receives its own member, so the member list depends on `intents`.
 */
export function guildCreatePayload(state: EmulatorState, guild: GuildRecord, intents: number): object {
  const members = [...guild.members.values()];
  return {
    ...state.guildObject(guild),
    joined_at: guild.joined_at,
    large: false,
    unavailable: false,
    lazy: true,
    member_count: members.length,
    members: intents & Intents.GuildMembers ? members : members.filter((m) => m.user.id === state.botUser.id),
    // Inside GUILD_CREATE channels omit guild_id (it is implied).
    channels: state.guildChannels(guild.id).map(({ guild_id: _, ...channel }) => channel),
    threads: state.activeThreads(guild.id),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
  };
}
