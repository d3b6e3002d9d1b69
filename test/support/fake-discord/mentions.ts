import { asRecord, isRecord, readArray } from './json.js';
import type { MessagePings } from './types.js';

export type MentionKind = 'users' | 'roles' | 'everyone';

/** Bot messages parse every kind of mention unless told otherwise. */
export const CHANNEL_MESSAGE_DEFAULT_PARSE: readonly MentionKind[] = ['users', 'roles', 'everyone'];
/** Interaction replies and webhook messages parse user mentions only. */
export const WEBHOOK_DEFAULT_PARSE: readonly MentionKind[] = ['users'];

const EVERYONE = /@(everyone|here)\b/;
const ROLE_MENTION = /<@&(\d{17,20})>/g;
const USER_MENTION = /<@!?(\d{17,20})>/g;

/**
 * Works out whom a message would ping: mentions found in `content`, filtered by `allowed_mentions`
 * (absent: the route's default; present without `parse`: only the listed ids). This lets bot tests
 * assert that untrusted text such as "@everyone" in a paper title pings nobody.
 */
export function resolvePings(
  content: string,
  allowedMentions: unknown,
  defaultParse: readonly MentionKind[],
): MessagePings {
  const rules = isRecord(allowedMentions) ? allowedMentions : undefined;
  const parse: readonly string[] = rules === undefined ? defaultParse : stringsOf(readArray(rules, 'parse'));
  const listedUsers = stringsOf(readArray(asRecord(rules), 'users'));
  const listedRoles = stringsOf(readArray(asRecord(rules), 'roles'));

  const allowUser = (id: string): boolean => parse.includes('users') || listedUsers.includes(id);
  const allowRole = (id: string): boolean => parse.includes('roles') || listedRoles.includes(id);

  return {
    everyone: parse.includes('everyone') && EVERYONE.test(content),
    roles: unique([...content.matchAll(ROLE_MENTION)].map((m) => m[1] ?? '')).filter(allowRole),
    users: unique([...content.matchAll(USER_MENTION)].map((m) => m[1] ?? '')).filter(allowUser),
  };
}

function stringsOf(values: unknown[] | undefined): string[] {
  return (values ?? []).filter((value): value is string => typeof value === 'string');
}

function unique(values: string[]): string[] {
  return [...new Set(values)].filter((value) => value !== '');
}
