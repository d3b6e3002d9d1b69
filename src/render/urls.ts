import { codePointLength } from '../delivery/text.js';
import { URL_MAX } from './limits.js';

// Characters that would end or confuse a markdown link target `(...)`: percent-encoded, which keeps the URL's meaning.
const LINK_UNSAFE = /[()\\<>"'`]/gu;
// eslint-disable-next-line no-control-regex
const WHITE_SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/u;

/**
 * A URL from paper data made safe to emit: http(s) only, no credentials (`https://user@evil.example` misleads),
 * serialised by the WHATWG parser (ASCII, punycode hosts), with characters that would break a markdown link
 * percent-encoded. Null when it is not such a URL or is longer than `max`.
 */
export function safeUrl(raw: string | null | undefined, max = URL_MAX): string | null {
  if (raw === null || raw === undefined) return null;
  const url = parseUrl(raw.trim());
  if (url === null || !isHttp(url) || url.username !== '' || url.password !== '') return null;
  const href = url.href.replace(LINK_UNSAFE, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return href.length <= max ? href : null;
}

/** True for an absolute http(s) URL of at most `max` code points: what the validator accepts in a message. */
export function isHttpUrl(value: string, max = URL_MAX): boolean {
  // The WHATWG parser forgives surrounding and embedded white space; Discord does not have to.
  if (codePointLength(value) > max || WHITE_SPACE_OR_CONTROL.test(value)) return false;
  const url = parseUrl(value);
  return url !== null && isHttp(url);
}

function isHttp(url: URL): boolean {
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
