/**
 * Hides the user-info part of every URL in a text (`https://user:token@host` → `https://***@host`).
 * Git prints remote URLs verbatim in its errors, and a token used as a bare user name is as
 * secret as a password, so any user info is masked, not only `user:password`.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"<>]+@/gi, '$1***@');
}
