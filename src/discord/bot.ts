import { Events, type Client } from 'discord.js';
import type { App } from '../app.js';
import { ApplyStreams } from './applies.js';
import { COMMANDS } from './commands/index.js';
import { COMPONENT_HANDLERS } from './components/index.js';
import { announceNotices } from './announcements.js';
import type { BotContext } from './context.js';
import { announceRecovery, startSweep } from './housekeeping.js';
import { Lobbies } from './lobbies.js';
import { orchestratorLobbyRefs } from './lobbyRefs.js';
import type { Outbox } from './outbox.js';
import { applicationId, registerCommands } from './register.js';
import { InteractionRouter } from './router.js';
import { QueuedRelays } from './relay.js';

export interface BotOptions {
  sweepIntervalMs?: number;
  /** How often apply output is flushed into the thread. */
  flushIntervalMs?: number;
}

/** The bot's lifecycle: recover, connect, register commands, serve; and a clean stop on SIGTERM. */
export class Bot {
  readonly ctx: BotContext;
  private readonly router: InteractionRouter;
  private stopSweep: (() => void) | undefined;

  constructor(private readonly app: App, private readonly client: Client, outbox: Outbox, private readonly options: BotOptions = {}) {
    const log = app.log.child({ module: 'discord' });
    const lobbies = new Lobbies(app.orchestrator, outbox, log, () => client.user?.id ?? '0');
    const refs = orchestratorLobbyRefs(app.orchestrator);
    const relays = new QueuedRelays(app.orchestrator, outbox, lobbies, log, options.flushIntervalMs);
    const applies = new ApplyStreams(outbox, lobbies, refs, log, options.flushIntervalMs, relays);
    this.ctx = { orchestrator: app.orchestrator, config: app.config, log, outbox, lobbies, refs, applies, relays };
    this.router = new InteractionRouter(this.ctx, COMMANDS, COMPONENT_HANDLERS);
  }

  async start(): Promise<void> {
    const { config } = this.app;
    // Recovery needs no Discord: sessions cut off by a crash are settled before any click arrives.
    const report = await this.app.orchestrator.recover();
    this.client.on(Events.InteractionCreate, (i) => void this.router.handle(i));
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(config.DISCORD_TOKEN);
    await ready;
    const appId = this.client.application?.id ?? (await applicationId(this.client.rest));
    const count = await registerCommands(this.client.rest, appId, config.DISCORD_GUILD_ID);
    this.ctx.log.info({ commands: count, guild: config.DISCORD_GUILD_ID ?? 'global', user: this.client.user?.tag }, 'bot ready');
    await announceRecovery(this.ctx, report);
    // Whatever expired or was force-unlocked while no bot process was there to say so.
    await announceNotices(this.ctx);
    this.stopSweep = startSweep(this.ctx, this.options.sweepIntervalMs ?? 30_000);
  }

  /**
   * SIGTERM: refuse new work, interrupt running applies (Terraform saves its state and the
   * orchestrator records the outcome), let each thread get its final message, then disconnect.
   */
  async stop(): Promise<void> {
    this.router.stopAccepting();
    this.stopSweep?.();
    await this.app.orchestrator.shutdown();
    await this.ctx.applies.drain();
    await this.ctx.relays.stop();
    await this.client.destroy();
    this.app.close();
  }
}
