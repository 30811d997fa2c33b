import { CoreError } from '../../../src/domain/errors.js';

/** The CoreError `fn` refuses with; anything else (a bug) is rethrown, and not refusing fails the test. */
export async function refusal(fn: () => unknown): Promise<CoreError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('not refused');
}
