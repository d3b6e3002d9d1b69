/** Discord's documented limits (see /work/shared/docs/discord-limits.md), enforced by the fake's validation. */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  /** title + description + field names/values + footer + author, summed over all embeds of a message. */
  embedTotal: 6000,
  nonce: 25,
  actionRows: 5,
  componentsPerRow: 5,
  buttonLabel: 80,
  customIdMax: 100,
  selectOptions: 25,
  allowedMentionIds: 100,
  threadNameMax: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceStringValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  commandTotalChars: 8000,
  commandsPerScope: 100,
  messagesPageMax: 100,
} as const;

export const AUTO_ARCHIVE_DURATIONS: readonly number[] = [60, 1440, 4320, 10080];

/** Message flags the fake looks at. */
export const MessageFlag = {
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  IsComponentsV2: 1 << 15,
} as const;
