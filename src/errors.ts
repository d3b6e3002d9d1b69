/**
 * An error whose message is written for the person who caused it (a Discord user, a CLI operator).
 * Everything else is a bug or an outage: logged with its stack, never echoed to users.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}
