/**
 * Text measured the way Discord measures it: in Unicode code points, not UTF-16 units.
 * (An emoji outside the BMP is one code point but two string units.)
 */
export function codePointLength(text: string): number {
  // Array.from(text).length, without building the array (rendering measures every field of every embed): each
  // surrogate pair is one code point, a lone surrogate counts as one as it does when iterating a string.
  let length = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      length -= 1;
      index += 1;
    }
  }
  return length;
}

/** Cuts `text` to at most `max` code points, ending with an ellipsis when cut. Never splits a surrogate pair. */
export function truncateCodePoints(text: string, max: number, ellipsis = '…'): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  const room = max - codePointLength(ellipsis);
  if (room <= 0) return points.slice(0, Math.max(0, max)).join('');
  return `${points.slice(0, room).join('').trimEnd()}${ellipsis}`;
}
