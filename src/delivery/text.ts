const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Text measured the way Discord measures it: in Unicode code points, not UTF-16 units.
 * (An emoji outside the BMP is one code point but two string units.)
 */
export function codePointLength(text: string): number {
  // Array.from(text).length without building the array (rendering measures every field of every embed): each
  // surrogate pair is one code point; a lone surrogate counts as one, as it does when iterating a string. A regular
  // expression, not a charCodeAt loop: the loop was slower in the planner, on strings of every representation.
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/** Cuts `text` to at most `max` code points, ending with an ellipsis when cut. Never splits a surrogate pair. */
export function truncateCodePoints(text: string, max: number, ellipsis = '…'): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  const room = max - codePointLength(ellipsis);
  if (room <= 0) return points.slice(0, Math.max(0, max)).join('');
  return `${points.slice(0, room).join('').trimEnd()}${ellipsis}`;
}
