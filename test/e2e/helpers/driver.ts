import type { Emulator, InteractionCallback, InteractionHandle, ModalFields, OptionInput, RecordedCall, StoredMessage } from '../../emulator/index.js';

/** Discord's interaction callback types the bot answers with. */
export const Callback = { reply: 4, deferReply: 5, deferUpdate: 6, update: 7, autocomplete: 8, modal: 9 } as const;
/** Discord's deadline for the first response; waiting any shorter would fail tests Discord would pass. */
export const ACK_MS = 3_000;

/** The bot's first response to an interaction, within Discord's deadline. */
export const answer = (handle: InteractionHandle): Promise<InteractionCallback> => handle.response(ACK_MS);
const EPHEMERAL = 64;

/** Where a resource goes, as the steps before its modal ask: region, then a VM's zone or a firewall rule's direction (defaults: the first listed, inbound). */
export interface Place {
  region?: string;
  zone?: string;
  direction?: 'ingress' | 'egress';
}

export interface Lobby {
  messageId: string;
  sessionId: string;
}

/** Everything a person reads in a message: content, embed text, button labels and their state. */
export function textOf(m: StoredMessage | undefined): string {
  if (!m) return '';
  const embeds = m.embeds.map((e) => {
    const fields = (e.fields as Array<{ name: string; value: string }> | undefined) ?? [];
    return [e.title, e.description, ...fields.flatMap((f) => [f.name, f.value]), (e.footer as { text?: string } | undefined)?.text].filter(Boolean).join('\n');
  });
  return [m.content, ...embeds].filter(Boolean).join('\n');
}

export const isEphemeral = (cb: InteractionCallback) => ((cb.data?.flags as number | undefined) ?? 0) & EPHEMERAL;
export const contentOf = (cb: InteractionCallback) => String(cb.data?.content ?? '');

/** Drives the bot the way members would, through the emulator's interaction injection. */
export class Driver {
  constructor(readonly emulator: Emulator, readonly guildId: string, readonly channelId: string) {}

  user(name: string): string {
    return this.emulator.state.userByName(name).id;
  }

  async slash(user: string, name: string, options: Record<string, OptionInput> = {}): Promise<{ handle: InteractionHandle; callback: InteractionCallback }> {
    const handle = this.emulator.slash(this.user(user), this.guildId, this.channelId, name, options);
    return { handle, callback: await answer(handle) };
  }

  /** The bot's text answer to a slash command, whether it replied at once or deferred and edited. */
  async command(user: string, name: string, options: Record<string, OptionInput> = {}): Promise<string> {
    const { handle, callback } = await this.slash(user, name, options);
    if (callback.type !== Callback.deferReply) return contentOf(callback);
    await handle.waitFor((c) => c.method === 'PATCH', 30_000);
    return textOf(handle.originalMessage());
  }

  async openLobby(user: string, project: string): Promise<Lobby> {
    const { handle, callback } = await this.slash(user, 'cloud-deploy', { project });
    const message = handle.originalMessage();
    if (callback.type !== Callback.reply || !message) throw new Error(`no lobby: ${contentOf(callback)}`);
    const customId = String((message.components[0]?.components as Array<{ custom_id: string }>)[0]?.custom_id);
    return { messageId: message.id, sessionId: customId.split(':')[2]! };
  }

  lobbyText(lobby: Lobby): string {
    return textOf(this.emulator.message(lobby.messageId));
  }

  /** Waits until the lobby message (as edited so far) satisfies `check`, re-checked once per REST call. */
  async lobbyUntil(lobby: Lobby, check: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const newest = (c: RecordedCall) => c === this.emulator.calls.at(-1);
    await this.emulator.waitFor((c) => newest(c) && check(this.lobbyText(lobby)), timeoutMs).catch(() => {
      throw new Error(`lobby never matched; it reads:\n${this.lobbyText(lobby)}`);
    });
    return this.lobbyText(lobby);
  }

  /** Clicks a lobby button and returns the bot's first response. */
  press(user: string, lobby: Lobby, action: string): Promise<InteractionCallback> {
    return answer(this.click(user, lobby, action));
  }

  click(user: string, lobby: Lobby, action: string): InteractionHandle {
    return this.emulator.clickButton(this.user(user), lobby.messageId, `v1:${action}:${lobby.sessionId}`);
  }

  /** The bot's answer to a step of the ephemeral flows: the next step (an update) or the modal. */
  private async step(handle: InteractionHandle): Promise<InteractionCallback> {
    const cb = await answer(handle);
    if (cb.type !== Callback.update && cb.type !== Callback.modal) throw new Error(`expected the next step, got ${JSON.stringify(cb.data)}`);
    return cb;
  }

  /** The components of a message (an ephemeral step), as they are now. */
  private componentsOf(messageId: string): Array<{ custom_id: string; disabled?: boolean; options?: Array<{ value: string }> }> {
    const rows = this.emulator.message(messageId)!.components as Array<{ components: Array<{ custom_id: string; disabled?: boolean; options?: Array<{ value: string }> }> }>;
    return rows.flatMap((r) => r.components);
  }

  /**
   * From a region step on `menu` (Add Resource's, or Edit Resource's whose ids carry the resource's ref):
   * the region (paging until it is listed) → zone or direction → the open modal and its custom id.
   */
  private async place(user: string, sid: string, menuId: string, type: string, place: Place): Promise<{ handle: InteractionHandle; modalId: string }> {
    const regionId = this.componentsOf(menuId).find((c) => c.custom_id.startsWith(`v1:region:${sid}:${type}`))!.custom_id;
    const subject = regionId.split(':')[3]!;
    const offered = (customId: string) => this.componentsOf(menuId).find((c) => c.custom_id === customId)?.options?.map((o) => o.value) ?? [];
    const region = place.region ?? offered(regionId)[0]!;
    for (let page = 1; !offered(regionId).includes(region); page++) {
      if (page > 20) throw new Error(`region ${region} is on no page of the region step`);
      const next = this.componentsOf(menuId).find((c) => c.custom_id.startsWith(`v1:rpage:${sid}:`) && c.custom_id.endsWith('n'));
      if (!next || next.disabled) throw new Error(`region ${region} is not offered`);
      await this.step(this.emulator.clickButton(this.user(user), menuId, next.custom_id));
    }
    let handle = this.emulator.selectMenu(this.user(user), menuId, regionId, [region]);
    let cb = await this.step(handle);
    if (cb.type === Callback.update) {
      const [action, detail] = type === 'compute_vm' ? ['zone', place.zone] : ['dir', place.direction ?? 'ingress'];
      const detailId = `v1:${action}:${sid}:${subject}.${region}`;
      const chosen = detail ?? offered(detailId)[0]!;
      handle = this.emulator.selectMenu(this.user(user), menuId, detailId, [chosen]);
      cb = await this.step(handle);
      if (cb.type !== Callback.modal) throw new Error('expected the modal after the last step');
    }
    // The modal's id as the bot built it (a zone inside its region's name travels shortened).
    return { handle, modalId: String((cb.data as { custom_id?: string }).custom_id) };
  }

  /** Add Resource → type → region (paging until it is listed) → zone or direction → the open modal and its custom id. */
  async openForm(user: string, lobby: Lobby, type: string, place: Place = {}): Promise<{ handle: InteractionHandle; modalId: string }> {
    const picker = this.click(user, lobby, 'add');
    await answer(picker);
    const menu = picker.originalMessage();
    if (!menu) throw new Error(`Add Resource answered without a menu: ${JSON.stringify((await answer(picker)).data)}`);
    await this.step(this.emulator.selectMenu(this.user(user), menu.id, `v1:type:${lobby.sessionId}`, [type]));
    return this.place(user, lobby.sessionId, menu.id, type, place);
  }

  /**
   * Edit Resource → the resource → its region step (the returned `menu`), then either Keep (place 'keep')
   * or a region and zone or direction → the open modal, prefilled, and its custom id.
   */
  async openEditForm(user: string, lobby: Lobby, name: string, type: string, place: Place | 'keep'): Promise<{ handle: InteractionHandle; modalId: string; menu: string }> {
    const picker = this.click(user, lobby, 'edit');
    await answer(picker);
    const menu = picker.originalMessage();
    if (!menu) throw new Error(`Edit Resource answered without a menu: ${JSON.stringify((await answer(picker)).data)}`);
    await this.step(this.emulator.selectMenu(this.user(user), menu.id, `v1:edsel:${lobby.sessionId}`, [name]));
    if (place !== 'keep') return { ...(await this.place(user, lobby.sessionId, menu.id, type, place)), menu: menu.id };
    const keep = this.componentsOf(menu.id).find((c) => c.custom_id.startsWith(`v1:keep:${lobby.sessionId}:`))!.custom_id;
    const handle = this.emulator.clickButton(this.user(user), menu.id, keep);
    if ((await this.step(handle)).type !== Callback.modal) throw new Error('Keep did not open the modal');
    return { handle, modalId: `v1:modal:${lobby.sessionId}:${keep.split(':')[3]}`, menu: menu.id };
  }

  /** The whole Add Resource flow; returns the bot's (ephemeral) answer to the modal. */
  async addResource(user: string, lobby: Lobby, type: string, fields: ModalFields, place: Place = {}): Promise<InteractionCallback> {
    const { handle, modalId } = await this.openForm(user, lobby, type, place);
    return this.emulator.submitModal(this.user(user), handle, modalId, fields).response(5_000);
  }

  async removeResource(user: string, lobby: Lobby, name: string): Promise<InteractionCallback> {
    const picker = this.click(user, lobby, 'rm');
    await answer(picker);
    const select = this.emulator.selectMenu(this.user(user), picker.originalMessage()!, `v1:rmsel:${lobby.sessionId}`, [name]);
    return answer(select);
  }

  /** Messages the bot posted in a thread (or channel), oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return this.emulator.messagesIn(channelId);
  }
}
