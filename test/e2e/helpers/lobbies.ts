import type { Emulator } from '../../emulator/index.js';
import type { Driver, Lobby } from './driver.js';

/** A sandbox fleet of `count` resources of every type; the first `slow` are VMs that take `bootSeconds` to create. */
export function fleet(count: number, { slow = 0, bootSeconds = 0, prefix = '' } = {}): Array<Record<string, unknown>> {
  const kinds = [
    (n: string, _i: number) => ({ type: 'compute_vm', name: n, machine_type: 'small' }),
    (n: string) => ({ type: 'storage_bucket', name: n, storage_gb: 10 }),
    (n: string) => ({ type: 'database', name: n, engine: 'postgres', tier: 'small', storage_gb: 20 }),
    (n: string, i: number) => ({ type: 'vpc_network', name: n, cidr: `10.${i}.0.0/16` }),
    (n: string) => ({ type: 'firewall_rule', name: n, ports: '443', source_ranges: '10.0.0.0/8' }),
  ];
  return Array.from({ length: count }, (_, i) => i < slow
    ? { type: 'compute_vm', name: `${prefix}slow-${i + 1}`, machine_type: 'small', boot_seconds: bootSeconds }
    : kinds[i % kinds.length]!(`${prefix}r-${String(i + 1).padStart(2, '0')}`, i));
}

/** /cloud-import of a JSON file: the lobby the bot posts for it (a public channel message with buttons). */
export async function importLobby(d: Driver, user: string, project: string, resources: object[]): Promise<Lobby> {
  const reply = await d.command(user, 'cloud-import', { project, file: d.emulator.attachment(`${project}.json`, JSON.stringify(resources)) });
  if (!reply.startsWith('📥 Imported')) throw new Error(`import refused: ${reply}`);
  const message = d.messagesIn(d.channelId).filter((m) => !(m.flags & 64) && m.embeds.length && m.components.length).at(-1)!;
  const customId = String((message.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id);
  return { messageId: message.id, sessionId: customId.split(':')[2]! };
}

/** The apply thread the bot opens on a lobby message. */
export async function threadOf(emulator: Emulator, lobby: Lobby, timeoutMs = 15_000): Promise<string> {
  const call = await emulator.waitFor((c) => c.method === 'POST' && c.path.endsWith(`/messages/${lobby.messageId}/threads`) && c.status < 300, timeoutMs);
  return (call.response as { id: string }).id;
}

/** Plans a lobby with Refresh and waits until the plan is shown. */
export async function planLobby(d: Driver, user: string, lobby: Lobby, expect: string, timeoutMs = 60_000): Promise<string> {
  const answered = await d.press(user, lobby, 'plan');
  if (answered.type !== 6) throw new Error(`Refresh refused: ${JSON.stringify(answered.data)}`);
  return d.lobbyUntil(lobby, (t) => t.includes(expect) || t.includes('PLAN_FAILED'), timeoutMs);
}
