import { REST } from 'discord.js';
import { applicationId, registerCommands } from './register.js';
import { asStartupError, botConfig, StartupError } from './startup.js';

/** `npm run register-commands`: registers the slash commands without starting the bot. */
export async function registerMain(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const config = botConfig(env);
    const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
    const count = await registerCommands(rest, await applicationId(rest), config.DISCORD_GUILD_ID);
    process.stdout.write(`Registered ${count} slash commands ${config.DISCORD_GUILD_ID ? `to guild ${config.DISCORD_GUILD_ID}` : 'globally (they may take up to an hour to appear)'}.\n`);
    return 0;
  } catch (e) {
    const err = asStartupError(e);
    if (!(err instanceof StartupError)) throw err;
    process.stderr.write(`cloud-engine: ${err.message}\n`);
    return err.exitCode;
  }
}
