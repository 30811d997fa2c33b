/**
 * Tests import the TypeScript sources, but the processes they spawn (`node bin/bot.js`, `node bin/cloud-engine.js`)
 * run dist/, the build that ships. Building once before the suite makes those processes run the sources under
 * test, never a build left over from an older checkout.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildDist(): void {
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const { stdout = '', stderr = '', message } = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run build failed, so the bin/ scripts the tests spawn cannot run the current sources:\n${stdout}${stderr || message}`);
  }
}
