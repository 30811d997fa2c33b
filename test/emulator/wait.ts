import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first defined result of `check`, evaluated now and again every time
 * `emitter` fires `event`; rejects after `timeoutMs` with `describe()` to aid debugging.
 */
export function waitUntil<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const found = check();
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onEvent = () => {
      const result = check();
      if (result === undefined) return;
      cleanup();
      resolve(result);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`emulator: timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}
