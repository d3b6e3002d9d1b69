import { PermissionFlagsBits } from 'discord.js';

export const Permission = PermissionFlagsBits;

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What Discord gives @everyone in a new server (text-related subset): posting works out of the box. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.SendMessagesInThreads |
  Permission.CreatePublicThreads |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.AddReactions |
  Permission.ReadMessageHistory |
  Permission.UseApplicationCommands;

/** The bot's managed role, as if invited with the permissions a paper bot asks for. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  DEFAULT_EVERYONE_PERMISSIONS | Permission.ManageThreads | Permission.ManageMessages;

export type OverwriteTarget = 'role' | 'member';

export interface PermissionOverwrite {
  /** A role id (the guild id for @everyone) or a user id. */
  readonly id: string;
  readonly type: OverwriteTarget;
  readonly allow: bigint;
  readonly deny: bigint;
}

/** Who we compute permissions for: a user and the roles they hold (without @everyone). */
export interface PermissionSubject {
  readonly userId: string;
  readonly roleIds: readonly string[];
}

export interface GuildPermissionView {
  readonly id: string;
  readonly ownerId: string;
  /** Permissions of a role by id; the @everyone role's id is the guild id. */
  rolePermissions(roleId: string): bigint | undefined;
}

/**
 * Guild-level permissions, the Discord way: the owner has everything; else @everyone's bits OR the
 * subject's roles' bits, and ADMINISTRATOR short-circuits to everything.
 */
export function computeBasePermissions(guild: GuildPermissionView, subject: PermissionSubject): bigint {
  if (subject.userId === guild.ownerId) return ALL_PERMISSIONS;
  let permissions = guild.rolePermissions(guild.id) ?? 0n;
  for (const roleId of subject.roleIds) permissions |= guild.rolePermissions(roleId) ?? 0n;
  if ((permissions & Permission.Administrator) !== 0n) return ALL_PERMISSIONS;
  return permissions;
}

/**
 * Channel permissions: base permissions, then the channel's overwrites in Discord's order
 * (@everyone, then all of the subject's roles merged, then the member), each deny before allow.
 * Without VIEW_CHANNEL nothing else in the channel applies, so the result is 0.
 */
export function computeChannelPermissions(
  guild: GuildPermissionView,
  overwrites: readonly PermissionOverwrite[],
  subject: PermissionSubject,
): bigint {
  const base = computeBasePermissions(guild, subject);
  // Owners and administrators get ALL_PERMISSIONS from the base, which overwrites cannot reduce.
  if ((base & Permission.Administrator) !== 0n) return ALL_PERMISSIONS;

  let permissions = base;
  const everyone = overwrites.find((o) => o.type === 'role' && o.id === guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;

  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 'role' && overwrite.id !== guild.id && subject.roleIds.includes(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;

  const member = overwrites.find((o) => o.type === 'member' && o.id === subject.userId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;

  return (permissions & Permission.ViewChannel) === 0n ? 0n : permissions;
}

export function hasPermission(permissions: bigint, bit: bigint): boolean {
  return (permissions & bit) === bit;
}
