import { startEmulator, type Emulator, type EmulatorOptions, type GuildSeed } from '../../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './botProcess.js';
import { Driver } from './driver.js';

/** One guild on the emulator and `node bin/bot.js` serving it: what most bot tests start from. */
export interface BotWorld {
  emulator: Emulator;
  d: Driver;
  dirs: BotDirs;
  /** The bot process running now; a restart (or a test that starts another) replaces it. */
  bot: BotProcess;
  /** Stops the bot and starts it again on the same data directory, ready once it has registered its commands. */
  restart(): Promise<void>;
  /** Stops the bot (returning its exit code), the emulator, and removes the data directory. */
  stop(): Promise<number | null>;
}

/** `env` adds to (or overrides) the bot's environment, e.g. a short SESSION_TTL_MINUTES; `emulator` sets up Discord, e.g. its per-channel limit. */
export async function startBotWorld(guild: GuildSeed, channel: string, env: Record<string, string> = {}, emulatorOptions: EmulatorOptions = {}): Promise<BotWorld> {
  const emulator = await startEmulator({ ...emulatorOptions, guilds: [guild] });
  const seeded = emulator.state.guildByName(guild.name);
  const d = new Driver(emulator, seeded.id, emulator.state.channelByName(seeded.id, channel).id);
  const dirs = botDirs(emulator, seeded.id, env);
  const world: BotWorld = {
    emulator, d, dirs, bot: await startReadyBot(emulator, dirs.env),
    restart: async () => {
      await world.bot.stop();
      world.bot = await startReadyBot(emulator, dirs.env);
    },
    stop: async () => {
      const code = await world.bot.stop();
      await emulator.close();
      dirs.cleanup();
      return code;
    },
  };
  return world;
}
