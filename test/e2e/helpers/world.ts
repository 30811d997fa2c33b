import { startEmulator, type Emulator, type GuildSeed } from '../../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './botProcess.js';
import { Driver } from './driver.js';

/** One guild on the emulator and `node bin/bot.js` serving it: what most bot tests start from. */
export interface BotWorld {
  emulator: Emulator;
  d: Driver;
  dirs: BotDirs;
  /** The bot process; a test that restarts the bot puts the new one here. */
  bot: BotProcess;
  /** Stops the bot (returning its exit code), the emulator, and removes the data directory. */
  stop(): Promise<number | null>;
}

/** `env` adds to (or overrides) the bot's environment, e.g. a short SESSION_TTL_MINUTES. */
export async function startBotWorld(guild: GuildSeed, channel: string, env: Record<string, string> = {}): Promise<BotWorld> {
  const emulator = await startEmulator({ guilds: [guild] });
  const seeded = emulator.state.guildByName(guild.name);
  const d = new Driver(emulator, seeded.id, emulator.state.channelByName(seeded.id, channel).id);
  const dirs = botDirs(emulator, seeded.id, env);
  const world: BotWorld = {
    emulator, d, dirs, bot: await startReadyBot(emulator, dirs.env),
    stop: async () => {
      const code = await world.bot.stop();
      await emulator.close();
      dirs.cleanup();
      return code;
    },
  };
  return world;
}
