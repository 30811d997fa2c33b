/**
 * The whole cluster: PostgreSQL, two bot processes (Discord shards 0 and 1 of one application, each
 * serving one server of the emulator), three `cloud-engine worker` processes. Twenty sandbox projects are
 * approved at once; mid-apply one worker's whole process group is SIGKILLed and its run directory deleted,
 * and one bot process is crashed and started again. Every approval is applied exactly once, the killed
 * apply is recorded INTERRUPTED with the state its worker saved, every other state holds what was
 * applied, every thread holds every line of its apply once, and no lock is left behind.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgStore } from '../../src/db/postgres.js';
import { projectKey, type ProjectKey } from '../../src/domain/projects.js';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { shardOf } from '../emulator/gateway-payloads.js';
import { freshDatabase, withPgStore, PG_ADMIN_URL, PG_UNAVAILABLE } from '../helpers/postgres.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { createdInOutput, spawnCli, type CliProcess } from './helpers/cli.js';
import { Callback, Driver, type Lobby } from './helpers/driver.js';
import { fleet, importLobby, planLobby, threadOf } from './helpers/lobbies.js';
import { applyStreamProblems, boardIn, repeatedLines, streamedLines } from './helpers/stream.js';
import { createdIn, until, type TfState } from './helpers/until.js';

const PER_SERVER = 10;
const SLOW = 'north-1';
const seed = (name: string) => ({
  name, roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'ops' }],
  members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
});

interface Server { name: string; d: Driver; shard: number; bot: BotProcess }
interface Deploy { project: string; server: Server; lobby: Lobby; threadId: string; resources: Array<Record<string, unknown>> }

let emulator: Emulator;
let dirs: BotDirs;
let env: Record<string, string>;
const servers: Server[] = [];
const workers: CliProcess[] = [];
const deploys: Deploy[] = [];

if (!PG_ADMIN_URL) console.warn(`The cluster suite is skipped: ${PG_UNAVAILABLE}`);

/** Two servers that Discord's shard formula puts on different shards of two. */
async function twoShardedServers(): Promise<Emulator> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const e = await startEmulator({ guilds: [seed('North'), seed('South')] });
    const [a, b] = ['North', 'South'].map((n) => shardOf(e.state.guildByName(n).id, 2));
    if (a !== b) return e;
    await e.close();
  }
  throw new Error('no two servers on different shards in 30 tries');
}

const key = (server: Server, project: string): ProjectKey => projectKey(server.d.guildId, project);

const withPg = <T>(fn: (store: PgStore) => Promise<T>) => withPgStore(env.DATABASE_URL!, fn);

describe.skipIf(!PG_ADMIN_URL)('two bot shards and three workers on one PostgreSQL store', () => {
  beforeAll(async () => {
    emulator = await twoShardedServers();
    const url = await freshDatabase();
    dirs = botDirs(emulator, '', { DATABASE_URL: url, RUN_QUEUE: 'workers', LEASE_TTL_SECONDS: '8', SWEEP_INTERVAL_SECONDS: '2', DISCORD_SHARD_COUNT: '2' });
    delete dirs.env.DISCORD_GUILD_ID;
    env = dirs.env;
    for (const name of ['North', 'South']) {
      const guild = emulator.state.guildByName(name);
      const shard = shardOf(guild.id, 2);
      const bot = await startReadyBot(emulator, { ...env, DISCORD_SHARD_ID: String(shard) });
      servers.push({ name, shard, bot, d: new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'ops').id) });
    }
    for (let i = 0; i < 3; i++) {
      const w = spawnCli(['worker', '--concurrency', '2'], { ...env, LOG_LEVEL: 'warn' });
      workers.push(w);
      await until(() => w.stdout().includes('takes plans and applies'), 30_000, () => w.stdout() + w.stderr());
    }
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) {
      try { process.kill(-w.child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const s of servers) await s.bot.stop();
    await emulator?.close();
    dirs?.cleanup();
  });

  it('GIVEN twenty approvals at once, a worker killed and a bot restarted mid-apply THEN each applies once, the killed one is INTERRUPTED with its state, every thread holds every line once, and no lock is left', async () => {
    // Each server's projects are made and planned through its own bot process: each shard serves its server.
    for (const server of servers) {
      for (let i = 1; i <= PER_SERVER; i++) {
        const project = `${server.name.toLowerCase()}-${i}`;
        await server.d.command('alice', 'cloud-create-project', { project_id: project, budget_limit: 100_000, provider: 'sandbox' });
        await server.d.command('alice', 'cloud-grant', { user: server.d.user('dan'), project, role: 'deployer' });
        await server.d.command('alice', 'cloud-grant', { user: server.d.user('ann'), project, role: 'approver' });
        // The restarted server's applies are still streaming when its bot crashes: two VMs boot for 15 s.
        const resources = project === SLOW ? fleet(6, { slow: 3, bootSeconds: 40, prefix: 's-' }) : fleet(4, { slow: 2, bootSeconds: server.name === 'South' ? 15 : 3, prefix: `p${i}-` });
        const lobby = await importLobby(server.d, 'dan', project, resources);
        await planLobby(server.d, 'dan', lobby, `📋 Plan: ${resources.length} to add`);
        deploys.push({ project, server, lobby, threadId: '', resources });
      }
    }
    const approvals = await Promise.all(deploys.map((x) => x.server.d.press('ann', x.lobby, 'approve')));
    expect(approvals.map((a) => a.type)).toEqual(Array(deploys.length).fill(Callback.deferUpdate));
    for (const x of deploys) x.threadId = await threadOf(emulator, x.lobby, 30_000);

    // Mid-apply: the slow project's worker dies with its Terraform, and its run directory goes.
    const slow = deploys.find((x) => x.project === SLOW)!;
    let lease: { pid: number; deploymentId: string; sessionId: string } | undefined;
    for (const deadline = Date.now() + 90_000; !lease; await new Promise((resolve) => setTimeout(resolve, 200))) {
      if (Date.now() > deadline) throw new Error('the slow apply never started on a worker');
      lease = await withPg(async (store) => {
        const lock = await store.locks.get(key(slow.server, SLOW));
        const d = lock && await store.deployments.bySession(lock.sessionId);
        return lock?.owner && lock.owner.pid > 0 && d?.terraformStartedAt ? { pid: lock.owner.pid, deploymentId: d.id, sessionId: lock.sessionId } : undefined;
      });
    }
    const { pid, deploymentId } = lease;
    const victim = workers.find((w) => w.child.pid === pid)!;
    expect(victim, 'the lease owner is one of the workers').toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // Whatever else that worker runs at this moment dies with it.
    const killed = new Set(await withPg(async (store) => (await store.locks.list()).filter((l) => l.owner?.pid === pid).map((l) => l.projectId)));
    expect(killed.has(key(slow.server, SLOW))).toBe(true);
    process.kill(-pid, 'SIGKILL');
    rmSync(join(dirs.dir, 'runs', '.runs', slow.server.d.guildId, SLOW, deploymentId), { recursive: true, force: true });

    // And one bot process crashes while its server's applies stream, then comes back.
    const restarted = servers[1]!;
    await restarted.bot.crash();
    const crashedAt = Date.now();
    restarted.bot = await startReadyBot(emulator, { ...env, DISCORD_SHARD_ID: String(restarted.shard) });

    // Every lobby ends: the slow one interrupted, every one on no killed worker applied. The killed worker's
    // others end either way: interrupted, or applied when Terraform had finished (exit 0) before the kill.
    for (const x of deploys) {
      const ends = x.project === SLOW ? ['INTERRUPTED'] : killed.has(key(x.server, x.project)) ? ['INTERRUPTED', 'APPLIED'] : ['APPLIED'];
      await x.server.d.lobbyUntil(x.lobby, (t) => ends.some((e) => t.includes(e)), 180_000);
    }
    const outcome = new Map<string, string>();
    await withPg(async (store) => {
      for (const x of deploys) {
        const k = key(x.server, x.project);
        const deployments = await store.deployments.list(k);
        expect(deployments, x.project).toHaveLength(1);
        outcome.set(x.project, deployments[0]!.status);
        expect(await store.audit.query({ projectId: k, eventType: 'deployment_approved' }), x.project).toHaveLength(1);
        expect(await store.locks.get(k), x.project).toBeUndefined();
        // A run killed before Terraform wrote any state has none: then nothing it reported created may be missing but the one in flight.
        const state = await store.states.latest(k);
        if (deployments[0]!.status !== 'interrupted') expect(state, x.project).toBeDefined();
        const saved = state ? createdIn(JSON.parse(state.stateJson) as TfState) : [];
        const names = x.resources.map((r) => String(r.name));
        if (deployments[0]!.status === 'interrupted') {
          expect(killed.has(k), `${x.project} was interrupted though its worker lived`).toBe(true);
          // What the worker reported created before it died is in the saved state, but for at most the one in flight.
          const reported = createdInOutput((await store.runLogs.after(deployments[0]!.id, 0, 10_000)).map((l) => l.line).join('\n'));
          expect(reported.filter((n) => !saved.includes(n)).length, `${x.project}: reported ${reported.join(', ')}; saved ${saved.join(', ')}`).toBeLessThanOrEqual(1);
          if (x.project === SLOW) expect(saved).toEqual(expect.arrayContaining(names.filter((n) => !n.includes('slow'))));
        } else {
          expect(deployments[0]!.status, x.project).toBe('succeeded');
          expect(saved.sort(), x.project).toEqual(names.sort());
        }
      }
    });
    // Each apply was taken by a worker once.
    const taken = workers.flatMap((w) => [...w.stdout().matchAll(/apply (\w{8}): taken/g)].map((m) => m[1]!));
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken).toHaveLength(deploys.length);
    // Every thread: one board, closed with the outcome, and one summary carrying the log — each line once, and for the applied ones Terraform's whole output in order.
    await until(() => deploys.every((x) => streamedLines(emulator, x.server.d.messagesIn(x.threadId)).length > 0), 60_000, 'every thread to get its summary with the log');
    // The restarted bot carried its server's relays on from where the crashed one stopped: it edited their boards.
    const resumed = deploys.filter((x) => x.server === restarted && emulator.calls.some((c) => c.method === 'PATCH' && c.path.startsWith(`/channels/${x.threadId}/messages/`) && c.time > crashedAt));
    expect(resumed.length, 'threads of the crashed bot whose board was edited after the restart').toBeGreaterThan(0);
    for (const x of deploys) {
      const posted = x.server.d.messagesIn(x.threadId);
      expect(boardIn(posted)?.status, x.project).toBe(outcome.get(x.project) === 'interrupted' ? 'interrupted' : 'complete');
      const lines = streamedLines(emulator, posted);
      expect(repeatedLines(lines), x.project).toEqual([]);
      if (outcome.get(x.project) === 'interrupted') continue;
      const ids = await withPg(async (store) => {
        const state = JSON.parse((await store.states.latest(key(x.server, x.project)))!.stateJson) as { resources: Array<{ name: string; instances: Array<{ attributes: { id: string } }> }> };
        return Object.fromEntries(state.resources.map((r) => [r.name, r.instances[0]!.attributes.id]));
      });
      expect(applyStreamProblems(lines, ids, x.resources.length), x.project).toEqual([]);
    }
  }, 600_000);
});
