import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { handler } from '../../../src/discord/components/types.js';
import type { BotContext } from '../../../src/discord/context.js';
import type { ActionKey } from '../../../src/discord/customId.js';
import { InteractionRouter } from '../../../src/discord/router.js';
import type { ComponentHandler } from '../../../src/discord/components/types.js';

/** Just enough of a discord.js button interaction for the router. */
function button(customId: string, opts: { admin?: boolean; roles?: string[] } = {}) {
  const replies: Array<{ content?: string; flags?: number }> = [];
  const i = {
    id: 'i1', type: 3, customId, guildId: 'g1', user: { id: 'u1', username: 'dan' }, member: { roles: opts.roles ?? [] },
    memberPermissions: { has: () => opts.admin ?? false }, deferred: false, replied: false,
    inGuild: () => true, isAutocomplete: () => false, isRepliable: () => true, isChatInputCommand: () => false, isButton: () => true,
    isStringSelectMenu: () => false, isModalSubmit: () => false, isMessageComponent: () => true,
    reply: async (o: { content?: string; flags?: number }) => void replies.push(o),
  };
  return { i, replies };
}

function router(run: ComponentHandler['run'], adminRoleId?: string) {
  const log = pino({ level: 'silent' });
  const warn = vi.spyOn(log, 'warn');
  const error = vi.spyOn(log, 'error');
  const ctx = { log, config: { DISCORD_ADMIN_ROLE_ID: adminRoleId } } as unknown as BotContext;
  const handlers = { approve: handler('button', run) } as unknown as Record<ActionKey, ComponentHandler>;
  return { r: new InteractionRouter(ctx, [], handlers), warn, error };
}

describe('the interaction router', () => {
  it('GIVEN a custom id this bot never made THEN logs it and answers politely, without throwing', async () => {
    const { r, warn } = router(async () => undefined);
    const { i, replies } = button('legacy_apply_button');
    await expect(r.handle(i as never)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ what: "custom id 'legacy_apply_button'" }), 'unknown interaction');
    expect(replies[0]).toMatchObject({ content: expect.stringContaining('no longer supported'), flags: 64 });
  });

  it('GIVEN a decoded id THEN runs its handler with the session id and the actor mapped from guild permissions', async () => {
    const run = vi.fn(async () => undefined);
    const { r } = router(run, 'role-ops');
    await r.handle(button('v1:approve:sess-1', { roles: ['role-ops'] }).i as never);
    expect(run).toHaveBeenCalledWith(expect.anything(), expect.anything(), { action: 'approve', sessionId: 'sess-1' }, { userId: 'u1', userName: 'dan', guildId: 'g1', isGuildAdmin: true });
  });

  it('GIVEN an expected failure THEN shows its message ephemerally', async () => {
    const { r } = router(async () => { throw new CoreError('forbidden', 'You need the approver role on this project to approve a deployment.'); });
    const { i, replies } = button('v1:approve:sess-1');
    await r.handle(i as never);
    expect(replies).toEqual([expect.objectContaining({ content: '🚫 You need the approver role on this project to approve a deployment.', flags: 64 })]);
  });

  it('GIVEN a bug THEN logs it with a reference and shows only an apology carrying that reference', async () => {
    const { r, error } = router(async () => { throw new TypeError('undefined is not a function'); });
    const { i, replies } = button('v1:approve:sess-1');
    await r.handle(i as never);
    const ref = (error.mock.calls[0]![0] as { ref: string }).ref;
    expect(replies[0]!.content).toContain(`ref \`${ref}\``);
    expect(replies[0]!.content).not.toContain('undefined is not a function');
  });

  it('GIVEN shutdown has begun THEN new clicks are refused and no handler runs', async () => {
    const run = vi.fn(async () => undefined);
    const { r } = router(run);
    r.stopAccepting();
    const { i, replies } = button('v1:approve:sess-1');
    await r.handle(i as never);
    expect(run).not.toHaveBeenCalled();
    expect(replies[0]!.content).toContain('restarting');
  });
});
