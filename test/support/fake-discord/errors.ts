/**
 * Discord's JSON error answers. @discordjs/rest reads `code` from the body only when the response has
 * `Content-Type: application/json`, so every error goes through `ApiError.toBody()` and the server's
 * JSON writer.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): { message: string; code: number; errors?: unknown } {
    return this.errors === undefined
      ? { message: this.message, code: this.code }
      : { message: this.message, code: this.code, errors: this.errors };
  }
}

export const apiErrors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  unknownApplication: () => new ApiError(404, 10002, 'Unknown Application'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: () => new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
  /** An interaction token older than 15 minutes. */
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  nonTextChannel: () => new ApiError(400, 50008, 'Cannot send messages in a non-text channel'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions'),
  wrongChannelType: () => new ApiError(400, 50024, 'Cannot execute action on this channel type'),
  invalidFormBody: (errors: unknown) => new ApiError(400, 50035, 'Invalid Form Body', errors),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  threadAlreadyCreated: () => new ApiError(400, 160004, 'A thread has already been created for this message'),
} as const;

/** One error in Discord's nested `errors` tree: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export interface FormErrorItem {
  code: string;
  message: string;
}

/** Collects Invalid Form Body errors in Discord's nested layout, keyed by the JSON path of the bad field. */
export class FormErrors {
  readonly tree: Record<string, unknown> = {};
  #count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const next = node[String(key)];
      if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
        node = next as Record<string, unknown>;
      } else {
        const created: Record<string, unknown> = {};
        node[String(key)] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as FormErrorItem[]) : [];
    list.push({ code, message });
    node._errors = list;
    this.#count += 1;
  }

  tooLong(path: readonly (string | number)[], max: number): void {
    this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  required(path: readonly (string | number)[]): void {
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }

  get isEmpty(): boolean {
    return this.#count === 0;
  }

  /** Throws 400 50035 when anything was collected. */
  throwIfAny(): void {
    if (!this.isEmpty) throw apiErrors.invalidFormBody(this.tree);
  }
}
