/**
 * Proves the Discord emulator against a real, unmodified discord.js Client running in-process:
 * gateway handshake, REST, interactions (slash, buttons, selects, modals, autocomplete),
 * Discord's error semantics, fault injection and resume.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType as DjsChannelType,
  Client,
  ComponentType as DjsComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  RESTEvents,
  Routes,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APITextInputComponent,
  type Interaction,
} from 'discord.js';
import { inflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OptionType, Permission, startEmulator, type Emulator } from '../emulator/index.js';

let emulator: Emulator;
let client: Client;
let guildId: string;
let generalId: string;
let alice: string;
let bob: string;

/** Runs `handler` on the next interaction the bot receives; resolves once the handler finished. */
function onNextInteraction(handler: (interaction: Interaction) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => void handler(interaction).then(() => resolve(), reject));
  });
}

/** The DiscordAPIError a promise rejects with. */
async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [
      {
        name: 'Ops',
        roles: [{ name: 'Admin', permissions: Permission.Administrator }],
        channels: [{ name: 'general' }, { name: 'deployments' }],
        members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'bob' }, { username: 'carol', dmsDisabled: true }],
      },
    ],
    dms: ['bob'],
    // Short so the heartbeat round trip is exercised within the test run.
    heartbeatIntervalMs: 300,
  });
  const guild = emulator.state.guildByName('Ops');
  guildId = guild.id;
  generalId = emulator.state.channelByName(guildId, 'general').id;
  alice = emulator.state.userByName('alice').id;
  bob = emulator.state.userByName('bob').id;

  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(emulator.token);
  await ready;
});

afterEach(() => emulator.faults.clear());

afterAll(async () => {
  await client?.destroy();
  await emulator?.close();
});

describe('gateway handshake', () => {
  it('logs in through GET /gateway/bot, identifies with the client intents and receives the seeded guild', async () => {
    expect(emulator.calls[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', status: 200 });
    await expect(emulator.gateway.waitForSession()).resolves.toMatchObject({ intents: GatewayIntentBits.Guilds });
    expect(emulator.gateway.identifies).toHaveLength(1);
    expect(emulator.gateway.identifies[0]).toMatchObject({ intents: GatewayIntentBits.Guilds, shard: [0, 1], compress: false });
    expect(emulator.gateway.connections[0]!.url).toBe('/gateway?v=10&encoding=json');

    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe('Ops');
    expect(guild?.ownerId).toBe(alice);
    expect(guild?.channels.cache.get(generalId)?.type).toBe(DjsChannelType.GuildText);
    expect(guild?.roles.cache.find((r) => r.name === 'Admin')?.permissions.has('Administrator')).toBe(true);
    expect(guild?.members.me?.id).toBe(client.user?.id);
    expect(client.user?.id).toBe(emulator.botUser.id);
    expect(client.application?.id).toBe(emulator.botUser.id);
  });

  it('answers member requests (op 8) and fetches single members over REST', async () => {
    const guild = client.guilds.cache.get(guildId)!;
    const members = await guild.members.fetch({ user: [alice, bob] });
    expect([...members.keys()].sort()).toEqual([alice, bob].sort());
    const carol = await guild.members.fetch(emulator.state.userByName('carol').id);
    expect(carol.user.username).toBe('carol');
    expect(emulator.calls.at(-1)).toMatchObject({ route: 'GET /guilds/:guildId/members/:userId', status: 200 });
  });

  it('acknowledges heartbeats', async () => {
    await expect.poll(() => client.ws.ping, { timeout: 2_000 }).toBeGreaterThanOrEqual(0);
  });

  it('speaks zlib-stream and identify compression to clients that ask for it', async () => {
    const frames = async (url: string, onHello?: (socket: WebSocket) => void) => {
      const socket = new WebSocket(url);
      const received: Buffer[] = [];
      socket.on('message', (data: Buffer) => {
        received.push(data);
        if (received.length === 1) onHello?.(socket);
      });
      await expect.poll(() => received.length).toBeGreaterThanOrEqual(onHello ? 2 : 1);
      // 1000 ends the session, so later dispatches are not queued for this throwaway client.
      socket.close(1000);
      return received;
    };
    // zlib-stream: every frame ends with the Z_SYNC_FLUSH marker; the first one inflates on its own.
    const [streamed] = await frames(`${emulator.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    expect(streamed!.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
    expect(JSON.parse(inflateSync(streamed!, { finishFlush: 2 }).toString())).toMatchObject({ op: 10, d: { heartbeat_interval: 300 } });

    // identify `compress: true`: HELLO is plain text, later payloads are zlib-compressed one by one.
    const identify = { op: 2, d: { token: emulator.token, intents: 0, compress: true, properties: { os: 'linux', browser: 'test', device: 'test' } } };
    const [, ready] = await frames(`${emulator.gatewayUrl}?v=10&encoding=json`, (socket) => socket.send(JSON.stringify(identify)));
    expect(JSON.parse(inflateSync(ready!).toString())).toMatchObject({ op: 0, t: 'READY', s: 1 });
  });
});

describe('REST basics', () => {
  it('requires the bot token and answers unknown routes with a recorded 404', async () => {
    const anonymous = await fetch(`${emulator.apiUrl}/v10/users/@me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: '401: Unauthorized', code: 0 });

    const error = await apiError(client.rest.get('/guilds/1/audit-logs'));
    expect(error.status).toBe(404);
    expect(emulator.calls.at(-1)).toMatchObject({ method: 'GET', path: '/guilds/1/audit-logs', status: 404, route: null });
  });

  it('stores valid commands and rejects invalid ones with 50035', async () => {
    await client.application!.commands.set([
      { name: 'deploy', description: 'Deploy a stack', options: [{ name: 'env', description: 'Target', type: OptionType.String, required: true, autocomplete: true }] },
      { name: 'upload', description: 'Upload a plan', options: [{ name: 'file', description: 'Plan file', type: OptionType.Attachment, required: true }] },
    ]);
    expect(emulator.commands.list(null).map((c) => c.name)).toEqual(['deploy', 'upload']);

    const error = await apiError(client.application!.commands.set([{ name: 'Deploy', description: 'x'.repeat(101) }]));
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({ errors: { 0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] }, description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } });
  });

  it('rejects an oversize embed with 50035 like Discord', async () => {
    const channel = client.channels.cache.get(generalId);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const single = await apiError(channel.send({ embeds: [{ description: 'x'.repeat(4097) }] }));
    expect(single.code).toBe(50035);
    expect(single.rawError).toMatchObject({ errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });

    const total = await apiError(channel.send({ embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(4000) }] }));
    expect(total.rawError).toMatchObject({ errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
    expect(emulator.messagesIn(generalId)).toHaveLength(0);
  });

  it('refuses selects Discord refuses: duplicate option values, more defaults than choices, max_values over the options', async () => {
    const channel = client.channels.cache.get(generalId);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    const row = (options: Array<{ label: string; value: string; default?: boolean }>, max = 1) => [{
      type: DjsComponentType.ActionRow, components: [{ type: DjsComponentType.StringSelect, custom_id: 'zone', max_values: max, options }],
    }];
    const zone = (v: string, d = false) => ({ label: v, value: v, ...(d ? { default: true } : {}) });
    const duplicate = await apiError(channel.send({ content: 'pick', components: row([zone('1'), zone('2'), zone('1')]) as never }));
    expect(duplicate.rawError).toMatchObject({ errors: { components: { 0: { components: { 0: { options: { 2: { value: { _errors: [{ code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED' }] } } } } } } } } });
    const defaults = await apiError(channel.send({ content: 'pick', components: row([zone('1', true), zone('2', true)]) as never }));
    expect(defaults.rawError).toMatchObject({ errors: { components: { 0: { components: { 0: { options: { _errors: [{ code: 'SELECT_COMPONENT_TOO_MANY_DEFAULT_VALUES' }] } } } } } } });
    const tooMany = await apiError(channel.send({ content: 'pick', components: row([zone('1')], 2) as never }));
    expect(tooMany.rawError).toMatchObject({ errors: { components: { 0: { components: { 0: { max_values: { _errors: [{ code: 'SELECT_COMPONENT_MAX_VALUES_TOO_LARGE' }] } } } } } } });
    expect(emulator.messagesIn(generalId)).toHaveLength(0);
  });

  it('honours enforce_nonce: a second create with the same nonce returns the first message and posts nothing', async () => {
    const first = await client.rest.post(Routes.channelMessages(generalId), { body: { content: 'once', nonce: 'n-42', enforce_nonce: true } }) as { id: string };
    const again = await client.rest.post(Routes.channelMessages(generalId), { body: { content: 'once', nonce: 'n-42', enforce_nonce: true } }) as { id: string };
    expect(again.id).toBe(first.id);
    expect(emulator.messagesIn(generalId).filter((m) => m.content === 'once')).toHaveLength(1);
    const loose = await client.rest.post(Routes.channelMessages(generalId), { body: { content: 'once', nonce: 'n-42' } }) as { id: string };
    expect(loose.id).not.toBe(first.id);
    for (const m of emulator.messagesIn(generalId)) await client.rest.delete(Routes.channelMessage(generalId, m.id));
  });

  it('creates threads (dispatching THREAD_CREATE) and messages in them', async () => {
    const channel = await client.channels.fetch(generalId);
    if (channel?.type !== DjsChannelType.GuildText) throw new Error('general is not a text channel');
    const created = new Promise((resolve) => client.once(Events.ThreadCreate, resolve));
    const thread = await channel.threads.create({ name: 'deploy-42', type: DjsChannelType.PublicThread });
    await created;
    await thread.send('plan attached');

    const starter = await channel.send('starting a discussion');
    const fromMessage = await starter.startThread({ name: 'discussion' });

    expect(client.channels.cache.get(thread.id)?.isThread()).toBe(true);
    expect(emulator.state.channel(thread.id)).toMatchObject({ parent_id: generalId, type: DjsChannelType.PublicThread, message_count: 1 });
    expect(emulator.messagesIn(thread.id).map((m) => m.content)).toEqual(['plan attached']);
    expect(fromMessage.id).toBe(starter.id);
    expect(emulator.message(starter.id)?.thread).toMatchObject({ id: starter.id, name: 'discussion' });
  });

  it('opens DMs and reports users who block them', async () => {
    const user = await client.users.fetch(bob);
    const sent = await user.send('your deploy finished');
    const dm = emulator.state.openDm(bob);
    expect(sent.channelId).toBe(dm.id);
    expect(emulator.messagesIn(dm.id).map((m) => m.content)).toEqual(['your deploy finished']);

    const carol = await client.users.fetch(emulator.state.userByName('carol').id);
    expect((await apiError(carol.send('hello'))).code).toBe(50007);
  });

  it('retries an injected 429 so the message arrives exactly once', async () => {
    const channel = await client.channels.fetch(emulator.state.channelByName(guildId, 'deployments').id);
    if (!channel?.isSendable()) throw new Error('deployments is not sendable');
    const rateLimited = new Promise((resolve) => client.rest.once(RESTEvents.RateLimited, resolve));
    emulator.faults.rateLimit('POST /channels/:id/messages', { count: 1, retryAfterMs: 150 });

    await channel.send('applied');

    await expect(rateLimited).resolves.toMatchObject({ retryAfter: expect.any(Number), global: false });
    const posts = emulator.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${channel.id}/messages`);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[0]!.response).toMatchObject({ message: 'You are being rate limited.', retry_after: 0.15, global: false });
    expect(emulator.messagesIn(channel.id).filter((m) => m.content === 'applied')).toHaveLength(1);
  });

  it('retries an injected 5xx', async () => {
    emulator.faults.serverError('GET /guilds/:id/roles', { count: 1, status: 502 });
    const roles = await client.guilds.cache.get(guildId)!.roles.fetch();
    expect(roles.some((r) => r.name === 'Admin')).toBe(true);
    expect(emulator.calls.filter((c) => c.path === `/guilds/${guildId}/roles`).map((c) => c.status)).toEqual([502, 200]);
  });
});

describe('interactions', () => {
  it('delivers a slash command as ChatInputCommandInteraction and records an ephemeral reply', async () => {
    let seen: { env: string | null; admin: boolean | undefined; channel: string | null } | undefined;
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`unexpected ${interaction.type}`);
      seen = { env: interaction.options.getString('env'), admin: interaction.memberPermissions?.has('Administrator'), channel: interaction.channelId };
      await interaction.reply({ content: `Deploying to ${seen.env}`, flags: MessageFlags.Ephemeral });
    });
    const handle = emulator.slash(alice, guildId, generalId, 'deploy', { env: 'prod' });
    await handled;

    expect(seen).toEqual({ env: 'prod', admin: true, channel: generalId });
    const response = await handle.response();
    expect(response.type).toBe(4);
    expect(response.data).toMatchObject({ content: 'Deploying to prod', flags: MessageFlags.Ephemeral });
    expect(handle.originalMessage()).toMatchObject({ content: 'Deploying to prod', channel_id: generalId, interaction_metadata: { id: handle.id } });
  });

  it('edits a deferred reply through PATCH @original', async () => {
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      await interaction.editReply({ content: 'Plan: 3 to add', embeds: [{ title: 'terraform plan' }] });
    });
    const handle = emulator.slash(bob, guildId, generalId, 'deploy', { env: 'staging' });
    await handled;

    expect((await handle.response()).type).toBe(5);
    await handle.waitFor((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'));
    expect(handle.originalMessage()).toMatchObject({ content: 'Plan: 3 to add', embeds: [{ title: 'terraform plan' }], flags: 0 });
    expect(emulator.messagesIn(generalId).some((m) => m.id === handle.originalMessage()!.id)).toBe(true);
  });

  it('sends follow-ups (the first one replacing a deferral), fetches and deletes them', async () => {
    let ids: { first: string; second: string; fetched: string } | undefined;
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      const first = await interaction.followUp('step 1 done');
      const second = await interaction.followUp({ content: 'step 2 done', flags: MessageFlags.Ephemeral });
      const fetched = await interaction.fetchReply(second.id);
      await interaction.deleteReply(second.id);
      ids = { first: first.id, second: second.id, fetched: fetched.content };
    });
    const handle = emulator.slash(alice, guildId, generalId, 'deploy', { env: 'prod' });
    await handled;

    expect(ids?.first).toBe(handle.originalMessage()?.id);
    expect(handle.originalMessage()?.content).toBe('step 1 done');
    expect(ids?.fetched).toBe('step 2 done');
    expect(emulator.message(ids!.second)).toBeUndefined();
    expect(handle.calls().map((c) => `${c.route} ${c.status}`)).toEqual([
      'POST /interactions/:interactionId/:token/callback 204',
      'POST /webhooks/:webhookId/:token 200',
      'POST /webhooks/:webhookId/:token 200',
      'GET /webhooks/:webhookId/:token/messages/:messageId 200',
      'DELETE /webhooks/:webhookId/:token/messages/:messageId 204',
    ]);
  });

  it('opens a modal and parses a submission with a text input, a string select and a legacy row', async () => {
    const modal = new ModalBuilder()
      .setCustomId('incident')
      .setTitle('Report an incident')
      .addLabelComponents(
        new LabelBuilder().setLabel('Summary').setTextInputComponent(new TextInputBuilder().setCustomId('summary').setStyle(TextInputStyle.Short)),
        new LabelBuilder()
          .setLabel('Severity')
          .setStringSelectMenuComponent(new StringSelectMenuBuilder().setCustomId('severity').addOptions({ label: 'High', value: 'high' }, { label: 'Low', value: 'low' })),
      );
    // Older bots still send action rows with a labelled text input; both shapes must work.
    const legacyRow: APIActionRowComponent<APITextInputComponent> = { type: DjsComponentType.ActionRow, components: [{ type: DjsComponentType.TextInput, custom_id: 'notes', label: 'Notes', style: TextInputStyle.Paragraph, required: false }] };
    const opened = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const json = modal.toJSON();
      await interaction.showModal({ ...json, components: [...json.components, legacyRow] });
    });
    const command = emulator.slash(alice, guildId, generalId, 'incident');
    await opened;
    expect((await command.response()).type).toBe(9);

    let fields: { summary: string; severity: readonly string[]; notes: string } | undefined;
    const submitted = onNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      fields = { summary: interaction.fields.getTextInputValue('summary'), severity: interaction.fields.getStringSelectValues('severity'), notes: interaction.fields.getTextInputValue('notes') };
      await interaction.reply({ content: 'Incident filed', flags: MessageFlags.Ephemeral });
    });
    const submission = emulator.submitModal(alice, command, 'incident', { summary: 'API down', severity: ['high'], notes: 'since 09:00' });
    await submitted;

    expect(fields).toEqual({ summary: 'API down', severity: ['high'], notes: 'since 09:00' });
    expect((await submission.response()).data).toMatchObject({ content: 'Incident filed' });
    expect(() => emulator.submitModal(alice, command, 'incident', { summary: 'x', severity: ['medium'] })).toThrow(/no option/);
  });

  it('clicks a button on a reply and records interaction.update, then handles a select menu', async () => {
    const replied = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({
        content: 'Apply this plan?',
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('apply').setLabel('Apply').setStyle(ButtonStyle.Success)),
          new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(new StringSelectMenuBuilder().setCustomId('region').addOptions({ label: 'EU', value: 'eu' }, { label: 'US', value: 'us' })),
        ],
      });
    });
    const command = emulator.slash(alice, guildId, generalId, 'deploy', { env: 'prod' });
    await replied;
    const prompt = command.originalMessage()!;

    const clicked = onNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.update({ content: `Applied by ${interaction.user.username} on ${interaction.message.id}`, components: [] });
    });
    const click = emulator.clickButton(alice, prompt, 'apply');
    await clicked;
    expect((await click.response()).type).toBe(7);
    expect(emulator.message(prompt.id)).toMatchObject({ content: `Applied by alice on ${prompt.id}`, components: [] });
    expect(() => emulator.clickButton(alice, prompt, 'apply')).toThrow(/no button/);

    const selectPrompt = await (async () => {
      const again = onNextInteraction(async (interaction) => {
        if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
        await interaction.reply({ content: 'Region?', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(new StringSelectMenuBuilder().setCustomId('region').addOptions({ label: 'EU', value: 'eu' }))] });
      });
      const handle = emulator.slash(alice, guildId, generalId, 'deploy', { env: 'dev' });
      await again;
      return handle.originalMessage()!;
    })();
    const selected = onNextInteraction(async (interaction) => {
      if (!interaction.isStringSelectMenu()) throw new Error('expected a select menu');
      await interaction.update({ content: `Region: ${interaction.values.join(',')}`, components: [] });
    });
    emulator.selectMenu(bob, selectPrompt, 'region', ['eu']);
    await selected;
    expect(emulator.message(selectPrompt.id)?.content).toBe('Region: eu');
  });

  it('answers autocomplete', async () => {
    const answered = onNextInteraction(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const typed = interaction.options.getFocused();
      await interaction.respond(['prod', 'preview'].filter((e) => e.startsWith(typed)).map((e) => ({ name: e, value: e })));
    });
    const handle = emulator.autocomplete(alice, guildId, generalId, 'deploy', { env: 'pr' }, 'env');
    await answered;
    expect(await handle.response()).toMatchObject({ type: 8, data: { choices: [{ name: 'prod', value: 'prod' }, { name: 'preview', value: 'preview' }] } });
    expect(() => emulator.autocomplete(alice, guildId, generalId, 'upload', { file: 'ma' }, 'file')).toThrow("emulator: option 'file' of /upload is not registered with autocomplete");
  });

  it('serves attachment options over HTTP and records uploaded reply files', async () => {
    let downloaded: string | undefined;
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const file = interaction.options.getAttachment('file', true);
      downloaded = await (await fetch(file.url)).text();
      await interaction.reply({ content: 'Plan checked', files: [{ attachment: Buffer.from(`checked: ${downloaded}`), name: 'report.txt' }] });
    });
    const handle = emulator.slash(alice, guildId, generalId, 'upload', { file: emulator.attachment('main.tf', 'resource "null" "x" {}') });
    await handled;

    expect(downloaded).toBe('resource "null" "x" {}');
    const response = await handle.response();
    expect(response.files.map((f) => [f.filename, f.bytes.toString()])).toEqual([['report.txt', 'checked: resource "null" "x" {}']]);
    const attachment = handle.originalMessage()!.attachments[0]!;
    expect(await (await fetch(attachment.url)).text()).toBe('checked: resource "null" "x" {}');
  });

  it('rejects a second callback with 40060 and the interaction is not re-acknowledged', async () => {
    let second: unknown;
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply('first');
      // discord.js guards against double replies locally, so go through its REST client like a buggy bot would.
      second = await client.rest
        .post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'second' } }, auth: false })
        .catch((e: unknown) => e);
    });
    const handle = emulator.slash(alice, guildId, generalId, 'deploy', { env: 'prod' });
    await handled;

    expect(second).toBeInstanceOf(DiscordAPIError);
    expect(second).toMatchObject({ status: 400, code: 40060, message: 'Interaction has already been acknowledged.' });
    expect((await handle.response()).data).toMatchObject({ content: 'first' });
    expect(emulator.interactionResponses(handle.id).map((c) => c.status)).toEqual([204, 400]);
  });

  it('rejects an oversize reply without acknowledging, and a late callback with 10062', async () => {
    const errors: DiscordAPIError[] = [];
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      errors.push(await apiError(interaction.reply({ content: 'x'.repeat(2001) })));
      await new Promise((resolve) => setTimeout(resolve, emulator.settings.interactionTimeoutMs + 50));
      errors.push(await apiError(interaction.reply({ content: 'too late' })));
    });
    const previous = emulator.settings.interactionTimeoutMs;
    emulator.settings.interactionTimeoutMs = 200;
    try {
      emulator.slash(alice, guildId, generalId, 'deploy', { env: 'prod' });
      await handled;
    } finally {
      emulator.settings.interactionTimeoutMs = previous;
    }
    expect(errors.map((e) => [e.status, e.code])).toEqual([[400, 50035], [404, 10062]]);
    expect(errors[0]!.rawError).toMatchObject({ errors: { data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
  });

  it('resumes after a forced disconnect or an op 7 RECONNECT and still receives interactions', async () => {
    // The bot identified first; the compression test's raw sockets came later.
    const sessionId = emulator.gateway.identifies[0]!.sessionId;
    const identifyCount = emulator.gateway.identifies.length;
    const replyToNext = () =>
      onNextInteraction(async (interaction) => {
        if (interaction.isChatInputCommand()) await interaction.reply('still here');
      });

    let resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
    emulator.gateway.disconnectAll();
    // Dispatched while the bot is offline: Discord buffers it and replays it on RESUME.
    let handled = replyToNext();
    const whileOffline = emulator.slash(alice, guildId, generalId, 'deploy', { env: 'prod' });
    await resumed;
    await handled;
    expect((await whileOffline.response()).data).toMatchObject({ content: 'still here' });
    expect(emulator.gateway.resumes).toEqual([expect.objectContaining({ sessionId, replayed: 1 })]);
    expect(emulator.gateway.connections.at(-1)!.url).toBe('/gateway/resume?v=10&encoding=json');

    resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
    emulator.gateway.requestReconnect();
    await resumed;
    handled = replyToNext();
    const afterReconnect = emulator.slash(bob, guildId, generalId, 'deploy', { env: 'dev' });
    await handled;
    expect((await afterReconnect.response()).data).toMatchObject({ content: 'still here' });
    expect(emulator.gateway.resumes).toHaveLength(2);
    expect(emulator.gateway.identifies).toHaveLength(identifyCount);
  });
});
