/**
 * What happens to a session without its owner — it expires, or an admin force-releases its lock — as the
 * core records it for every adapter: the lobby view carries the notice while it matters, and the event is
 * handed to one announcer, once. Real SQLite, real Terraform on the sandbox provider.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderLobby } from '../../src/discord/views/lobby.js';
import { admin, dev, sandboxProject, testApp, vm, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());

const lobbyOf = async (sessionId: string) => {
  const { embeds, components } = renderLobby(await t.app.orchestrator.sessionView(dev, sessionId));
  return {
    fields: Object.fromEntries(embeds[0]!.fields!.map((f) => [f.name, f.value])),
    buttons: Object.fromEntries(components.flatMap((row) => row.components).map((b) => [(b as { label: string }).label, !b.disabled])),
  };
};

/** A session whose lobby message the bot posted (its channel and message are recorded). */
async function lobbySession() {
  const s = await t.app.orchestrator.startSession(dev, 'shop');
  await t.app.orchestrator.addResource(dev, s.id, vm('web-1'));
  await t.app.orchestrator.attachMessage(s.id, { channelId: '300000000000000001', messageId: '300000000000000002' });
  return s;
}

describe('session notices', () => {
  it('GIVEN a lobby idle past SESSION_TTL_MINUTES THEN it expires, its lobby says after how long, and the event is handed to one announcer once', async () => {
    const o = t.app.orchestrator;
    const s = await lobbySession();
    t.clock.advance(61 * 60_000);
    expect((await o.expireIdle()).map((x) => x.id)).toEqual([s.id]);
    const lobby = await lobbyOf(s.id);
    expect(lobby.fields['⌛ Expired']).toMatch(/^⌛ This session expired <t:\d+:R>, after 60 minutes without activity; the project is free for others\. Open a new lobby with `\/cloud-deploy`\.$/);
    expect(lobby.buttons).toEqual({});
    const claimed = await o.claimNotices();
    expect(claimed).toEqual([expect.objectContaining({ session: expect.objectContaining({ id: s.id, state: 'EXPIRED' }), notice: expect.objectContaining({ kind: 'expired', idleMinutes: 60 }) })]);
    expect(await o.claimNotices()).toEqual([]);
    expect(await o.noticeAnnounced(claimed[0]!.notice.auditId)).toBe(true);
    t.clock.advance(5 * 60_000);
    expect(await o.claimNotices()).toEqual([]);
  });

  it('GIVEN an announcer that never finished (it crashed) THEN the event is handed out again once its claim has expired, and only then', async () => {
    const o = t.app.orchestrator;
    await lobbySession();
    t.clock.advance(61 * 60_000);
    await o.expireIdle();
    expect(await o.claimNotices()).toHaveLength(1);
    t.clock.advance(30_000);
    expect(await o.claimNotices()).toEqual([]);
    t.clock.advance(31_000);
    expect(await o.claimNotices()).toHaveLength(1);
  });

  it('GIVEN a planned lobby whose lock an admin force-releases THEN it says who, why and what it cut short, offers no Approve, and forgets it once planned again', async () => {
    const o = t.app.orchestrator;
    const s = await lobbySession();
    await o.plan(dev, s.id);
    expect((await lobbyOf(s.id)).buttons['Approve & Deploy']).toBe(true);
    await o.forceUnlock(admin, 'shop', 'the owner is on holiday');
    const lobby = await lobbyOf(s.id);
    expect(lobby.fields['🔓 Lock force-released']).toMatch(new RegExp(`^🔓 <@${admin.userId}> force-released the project's lock held by this session <t:\\d+:R>: “the owner is on holiday”\\. Its plan can no longer be approved\\. \\*\\*Refresh\\*\\* plans again once the project is free\\.$`));
    expect(lobby.buttons).toMatchObject({ 'Approve & Deploy': false, Refresh: true });
    expect(await o.claimNotices()).toEqual([expect.objectContaining({
      notice: expect.objectContaining({ kind: 'force_unlocked', by: { id: admin.userId, name: admin.userName, operator: false }, heldIn: 'PLANNED', reason: 'the owner is on holiday' }),
    })]);
    t.clock.advance(1000);
    await o.plan(dev, s.id);
    const replanned = await lobbyOf(s.id);
    expect(replanned.fields['🔓 Lock force-released']).toBeUndefined();
    expect(replanned.buttons['Approve & Deploy']).toBe(true);
  });

  it('GIVEN a session with no lobby message (the CLI ran it) THEN its expiry is marked done and handed to no announcer', async () => {
    const o = t.app.orchestrator;
    await o.startSession(dev, 'shop');
    t.clock.advance(61 * 60_000);
    await o.expireIdle();
    expect(await o.claimNotices()).toEqual([]);
    t.clock.advance(120_000);
    expect(await o.claimNotices()).toEqual([]);
  });
});
