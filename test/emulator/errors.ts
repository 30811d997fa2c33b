/** Discord's error responses, with the exact codes and messages the real API uses. */

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

/** Thrown by route handlers; the REST layer turns it into the HTTP response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
  ) {
    super(`${status} ${body.code}: ${body.message}`);
  }
}

const apiError = (status: number, code: number, message: string) => () => new ApiError(status, { message, code });

export const Errors = {
  notFound: apiError(404, 0, '404: Not Found'),
  unauthorized: apiError(401, 0, '401: Unauthorized'),
  unknownApplication: apiError(404, 10002, 'Unknown Application'),
  unknownChannel: apiError(404, 10003, 'Unknown Channel'),
  unknownGuild: apiError(404, 10004, 'Unknown Guild'),
  unknownMember: apiError(404, 10007, 'Unknown Member'),
  unknownMessage: apiError(404, 10008, 'Unknown Message'),
  unknownUser: apiError(404, 10013, 'Unknown User'),
  unknownWebhook: apiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: apiError(404, 10062, 'Unknown interaction'),
  unknownCommand: apiError(404, 10063, 'Unknown application command'),
  entityTooLarge: apiError(413, 40005, 'Request entity too large'),
  alreadyAcknowledged: apiError(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: apiError(403, 50001, 'Missing Access'),
  emptyMessage: apiError(400, 50006, 'Cannot send an empty message'),
  cannotMessageUser: apiError(403, 50007, 'Cannot send messages to this user'),
  missingPermissions: apiError(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: apiError(401, 50027, 'Invalid Webhook Token'),
  invalidApiVersion: apiError(400, 50041, 'Invalid API version provided'),
  threadAlreadyCreated: apiError(400, 160004, 'A thread has already been created for this message'),
};

type Path = readonly (string | number)[];

interface ErrorTree {
  [key: string]: ErrorTree | { code: string; message: string }[];
}

/**
 * Collects field errors into Discord's nested "Invalid Form Body" shape, e.g.
 * `{ embeds: { 0: { description: { _errors: [{ code, message }] } } } }`.
 */
export class FormErrors {
  private readonly tree: ErrorTree = {};
  private count = 0;

  /** A 50035 response carrying a single field error. */
  static error(path: Path, code: string, message: string): ApiError {
    const errors = new FormErrors();
    errors.add(path, code, message);
    return errors.toError();
  }

  add(path: Path, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) node = (node[String(key)] ??= {}) as ErrorTree;
    ((node._errors ??= []) as { code: string; message: string }[]).push({ code, message });
    this.count++;
  }

  maxLength(path: Path, value: unknown, max: number): void {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : 0;
    if (length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  /** For strings that must be present: Discord reports a missing one as BASE_TYPE_REQUIRED. */
  lengthBetween(path: Path, value: unknown, min: number, max: number): void {
    if (typeof value !== 'string') this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    else if (value.length < min || value.length > max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Throws the 400 response if anything was collected. */
  throwIfAny(): void {
    if (!this.empty) throw this.toError();
  }

  private toError(): ApiError {
    return new ApiError(400, { message: 'Invalid Form Body', code: 50035, errors: this.tree });
  }
}
