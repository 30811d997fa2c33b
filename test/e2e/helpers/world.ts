import { startEmulator, type Emulator, type GuildSeed } from '../../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './botProcess.js';
import { Driver } from './driver.js';

/** One guild on the emulator and `node bin/bot.js` serving it: what most bot tests start from. */
export interface BotWorld {
  emulator: Emulator;
  d: Driver;
  dirs: BotDirs;
  /** The bot process running now (a restart replaces it). */
  readonly bot: BotProcess;
  /** Stops the bot and starts it again on the same data directory, ready once it has registered its commands. */
  restart(): Promise<void>;
  /** Stops the bot (returning its exit code), the emulator, and removes the data directory. */
  stop(): Promise<number | null>;
}

export async function startBotWorld(guild: GuildSeed, channel: string): Promise<BotWorld> {
  const emulator = await startEmulator({ guilds: [guild] });
  const seeded = emulator.state.guildByName(guild.name);
  const d = new Driver(emulator, seeded.id, emulator.state.channelByName(seeded.id, channel).id);
  const dirs = botDirs(emulator, seeded.id);
  let bot = await startReadyBot(emulator, dirs.env);
  return {
    emulator, d, dirs,
    get bot() { return bot; },
    restart: async () => {
      await bot.stop();
      bot = await startReadyBot(emulator, dirs.env);
    },
    stop: async () => {
      const code = await bot.stop();
      await emulator.close();
      dirs.cleanup();
      return code;
    },
  };
}
