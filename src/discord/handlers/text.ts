/** Untrusted text shown as inline code: a backtick inside would end the code span, so it is swapped for a look-alike. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/gu, 'ˋ').replace(/\s+/gu, ' ')}\``;
}
