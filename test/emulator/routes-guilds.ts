import { Errors, FormErrors } from './errors.js';
import { asObject } from './json.js';
import type { Router } from './router.js';
import type { EmulatorState, GuildRecord } from './state.js';

interface Deps {
  state: EmulatorState;
  gatewayUrl: string;
  applicationName: string;
  applicationFlags: number;
}

/** Gateway discovery, the bot's own user and application, users, DMs and guild reads. */
export function registerGuildRoutes(router: Router, { state, gatewayUrl, applicationName, applicationFlags }: Deps): void {
  const bot = state.botUser;

  // discord.js (via @discordjs/ws) calls GET /gateway/bot and connects to `url` + `?v=10&encoding=json`.
  router.add('GET', '/gateway', () => ({ status: 200, body: { url: gatewayUrl } }), { auth: false });
  router.add('GET', '/gateway/bot', () => ({
    status: 200,
    body: { url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } },
  }));

  router.add('GET', '/users/@me', () => ({ status: 200, body: { ...bot, bot: true, verified: true, mfa_enabled: false, email: null, locale: 'en-US' } }));
  router.add('GET', '/users/:userId', ({ params }) => {
    const user = state.user(params.userId!);
    if (!user) throw Errors.unknownUser();
    return { status: 200, body: user };
  });

  router.add('GET', '/applications/@me', () => ({
    status: 200,
    body: {
      id: bot.id,
      name: applicationName,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot: { ...bot, bot: true },
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: 'e'.repeat(64),
      flags: applicationFlags,
      hook: true,
      is_monetized: false,
      // The emulated app has no developer account; discord.js then reports application.owner as null.
      team: null,
      redirect_uris: [],
      interactions_endpoint_url: null,
      approximate_guild_count: state.guilds.size,
      integration_types_config: { '0': {} },
    },
  }));

  router.add('POST', '/users/@me/channels', ({ body }) => {
    const recipientId = asObject(body).recipient_id;
    if (typeof recipientId !== 'string') throw FormErrors.error(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    if (!state.user(recipientId)) throw Errors.unknownUser();
    return { status: 200, body: state.openDm(recipientId) };
  });

  /** Guild routes only work for guilds the bot is in. */
  const guildOf = (guildId: string): GuildRecord => {
    const guild = state.guild(guildId);
    if (!guild?.members.has(bot.id)) throw Errors.unknownGuild();
    return guild;
  };

  router.add('GET', '/guilds/:guildId', ({ params, query }) => {
    const guild = guildOf(params.guildId!);
    const counts = query.get('with_counts') === 'true' ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 } : {};
    return { status: 200, body: { ...state.guildObject(guild), ...counts } };
  });
  router.add('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
    const member = guildOf(params.guildId!).members.get(params.userId!);
    if (!member) throw Errors.unknownMember();
    return { status: 200, body: member };
  });
  router.add('GET', '/guilds/:guildId/roles', ({ params }) => ({ status: 200, body: guildOf(params.guildId!).roles }));
  router.add('GET', '/guilds/:guildId/channels', ({ params }) => ({ status: 200, body: state.guildChannels(guildOf(params.guildId!).id) }));
}
