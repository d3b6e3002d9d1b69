import { UserFacingError } from '../errors.js';

/**
 * The paperboy query language, shared by `/papers search` and channel topics so both agree:
 *
 *   diffusion video          every word (implicit AND; `AND` in capitals is accepted and means the same)
 *   "state space model"      a phrase
 *   diffusion OR flow        either (`|` works too); OR binds looser than AND: `a b OR c` is `(a b) OR c`
 *   -survey, -"a phrase"     exclusion of a word, phrase, field or group (`NOT x` in capitals is the same)
 *   author:"Yann LeCun"      fields author:, org:, keyword: (HF's ai_keywords) and title:, each taking a word
 *   org:nvidia               or a "phrase"
 *   (a OR b) -(c d)          parentheses
 *
 * Lower-case `or`, `and`, `not`, `near` are ordinary words. Everything that is not syntax of this language
 * (`*`, `^`, `{title}:`, `NEAR(`, a colon inside a word) is text: the compiler quotes every term, so none of
 * it can reach FTS5 as syntax. Positions in errors are 0-based and counted in code points, as users see them.
 */

export const MAX_QUERY_LENGTH = 300;
export const MAX_QUERY_TERMS = 30;
export const MAX_QUERY_DEPTH = 8;

export const QUERY_FIELDS = ['author', 'org', 'keyword', 'title'] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

/** Field names accepted when typed, case-insensitively; plurals are forgiven. */
const FIELD_ALIASES: ReadonlyMap<string, QueryField> = new Map([
  ['author', 'author'],
  ['authors', 'author'],
  ['org', 'org'],
  ['keyword', 'keyword'],
  ['keywords', 'keyword'],
  ['title', 'title'],
]);

export interface TermNode {
  readonly kind: 'term';
  /** null: any column. */
  readonly field: QueryField | null;
  readonly text: string;
  /** Typed in double quotes. */
  readonly phrase: boolean;
  readonly position: number;
}
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly QueryNode[];
  readonly position: number;
}
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly QueryNode[];
  readonly position: number;
}
export interface NotNode {
  readonly kind: 'not';
  readonly child: QueryNode;
  readonly position: number;
}
export type QueryNode = TermNode | AndNode | OrNode | NotNode;

/** A query that parsed and passed every check: it can be compiled and run. */
export interface ParsedQuery {
  readonly source: string;
  readonly root: QueryNode;
}

export class QuerySyntaxError extends UserFacingError {
  /** 0-based position of the problem in the query, in code points. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Tokenizer

type Token =
  | { readonly type: 'word'; readonly text: string; readonly position: number }
  | { readonly type: 'phrase'; readonly text: string; readonly position: number }
  | { readonly type: 'field'; readonly field: QueryField; readonly typed: string; readonly position: number }
  | { readonly type: 'minus' | 'or' | 'and' | 'not' | 'lparen' | 'rparen'; readonly position: number }
  | { readonly type: 'end'; readonly position: number };

/** Control characters (NUL included), lone surrogates and every kind of space separate tokens. */
const SPACE = /^[\s\p{Cc}\p{Cs}\p{Z}]$/u;
const FIELD_NAME_START = /^\p{L}$/u;
const FIELD_NAME_PART = /^[\p{L}\p{N}_]$/u;
/** What may follow `name:` for it to read as a field (rather than `Title: subtitle` or `http://`). */
const FIELD_VALUE_START = /^[\p{L}\p{N}"]$/u;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.test(ch);
}

/** Ends a word: space, a quote, a parenthesis, `|`. */
function isDelimiter(ch: string | undefined): boolean {
  return ch === undefined || isSpace(ch) || ch === '"' || ch === '(' || ch === ')' || ch === '|';
}

function tokenize(chars: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  const readPhrase = (): Token => {
    const start = i;
    i += 1;
    let text = '';
    while (i < chars.length && chars[i] !== '"') {
      const ch = chars[i] ?? '';
      text += isSpace(ch) ? ' ' : ch;
      i += 1;
    }
    if (i >= chars.length) throw new QuerySyntaxError(`Unclosed quote starting at position ${start}`, start);
    i += 1;
    return { type: 'phrase', text, position: start };
  };

  const readRawWord = (): Token => {
    const start = i;
    let text = '';
    while (!isDelimiter(chars[i])) {
      text += chars[i] ?? '';
      i += 1;
    }
    return { type: 'word', text, position: start };
  };

  /** `name:` at i, when `name` looks like a field name; returns the name and the index after the colon. */
  const fieldPrefixAt = (at: number): { name: string; end: number } | null => {
    if (!FIELD_NAME_START.test(chars[at] ?? '')) return null;
    let j = at + 1;
    while (FIELD_NAME_PART.test(chars[j] ?? '')) j += 1;
    if (chars[j] !== ':') return null;
    return { name: chars.slice(at, j).join(''), end: j + 1 };
  };

  while (i < chars.length) {
    const ch = chars[i];
    if (isSpace(ch)) {
      i += 1;
      continue;
    }
    const position = i;
    if (ch === '(' || ch === ')' || ch === '|') {
      tokens.push({ type: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'or', position });
      i += 1;
      continue;
    }
    if (ch === '"') {
      tokens.push(readPhrase());
      continue;
    }
    if (ch === '-') {
      const next = chars[i + 1];
      if (next === '-')
        throw new QuerySyntaxError(`Use a single "-" to exclude something (position ${position})`, position);
      if (isDelimiter(next) && next !== '"' && next !== '(') {
        throw new QuerySyntaxError(`Nothing to search for after "-" at position ${position}`, position);
      }
      tokens.push({ type: 'minus', position });
      i += 1;
      continue;
    }

    const prefix = fieldPrefixAt(i);
    if (prefix !== null) {
      const field = FIELD_ALIASES.get(prefix.name.toLowerCase());
      const after = chars[prefix.end];
      if (field !== undefined) {
        tokens.push({ type: 'field', field, typed: `${prefix.name}:`, position });
        i = prefix.end;
        // A value glued to the field is taken as it is, even `title:OR` or `author:-x`.
        if (after === '"') tokens.push(readPhrase());
        else if (!isDelimiter(after)) tokens.push(readRawWord());
        continue;
      }
      if (after !== undefined && FIELD_VALUE_START.test(after)) {
        throw new QuerySyntaxError(
          `Unknown field "${prefix.name}:" at position ${position}. Use author:, org:, keyword: or title:, or put the text in "quotes"`,
          position,
        );
      }
    }

    const word = readRawWord();
    if (word.type === 'word' && (word.text === 'OR' || word.text === 'AND' || word.text === 'NOT')) {
      tokens.push({ type: word.text === 'OR' ? 'or' : word.text === 'AND' ? 'and' : 'not', position });
    } else {
      tokens.push(word);
    }
  }
  tokens.push({ type: 'end', position: chars.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------
// Recursive-descent parser
//
//   query   := or END
//   or      := and ( ("OR" | "|") and )*
//   and     := unary ( "AND"? unary )*
//   unary   := ("-" | "NOT") primary | primary
//   primary := WORD | PHRASE | FIELD (WORD | PHRASE) | "(" or ")"

const OPERATOR_NAMES: Partial<Record<Token['type'], string>> = { or: 'OR', and: 'AND', not: 'NOT', minus: '-' };

class Parser {
  private index = 0;
  private terms = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): QueryNode {
    const first = this.peek();
    if (first.type === 'end') throw new QuerySyntaxError('Type something to search for', 0);
    const root = this.parseOr(0);
    const rest = this.peek();
    if (rest.type === 'rparen') {
      throw new QuerySyntaxError(
        `Unexpected ")" at position ${rest.position}: there is no "(" to close`,
        rest.position,
      );
    }
    return root;
  }

  private peek(): Token {
    // The token list always ends with an `end` token, and the parser never moves past it.
    return this.tokens[this.index] ?? { type: 'end', position: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private parseOr(depth: number): QueryNode {
    const alternatives: QueryNode[] = [this.parseAnd(depth)];
    while (this.peek().type === 'or') {
      const or = this.next();
      if (!this.startsOperand(this.peek())) throw this.needsBothSides(or);
      alternatives.push(this.parseAnd(depth));
    }
    const [only] = alternatives;
    return alternatives.length === 1 && only !== undefined
      ? only
      : { kind: 'or', children: alternatives, position: alternatives[0]?.position ?? 0 };
  }

  private parseAnd(depth: number): QueryNode {
    const items: QueryNode[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type === 'and') {
        this.next();
        if (items.length === 0 || !this.startsOperand(this.peek())) throw this.needsBothSides(token);
        continue;
      }
      if (!this.startsOperand(token)) break;
      items.push(this.parseUnary(depth));
    }
    const [first] = items;
    if (first === undefined) {
      // Only reachable when an operator or ")" stands where a term should be.
      const token = this.peek();
      if (token.type === 'or' || token.type === 'and') throw this.needsBothSides(token);
      if (token.type === 'rparen') {
        throw new QuerySyntaxError(
          `Unexpected ")" at position ${token.position}: there is no "(" to close`,
          token.position,
        );
      }
      throw new QuerySyntaxError('Type something to search for', token.position);
    }
    return items.length === 1 ? first : { kind: 'and', children: items, position: first.position };
  }

  private parseUnary(depth: number): QueryNode {
    const token = this.peek();
    if (token.type !== 'minus' && token.type !== 'not') return this.parsePrimary(depth);
    this.next();
    const operand = this.peek();
    const name = OPERATOR_NAMES[token.type] ?? '-';
    if (operand.type === 'minus' || operand.type === 'not') {
      throw new QuerySyntaxError(
        `Use a single "-" to exclude something ("${name}" at position ${token.position} is followed by another)`,
        operand.position,
      );
    }
    if (!this.startsOperand(operand)) {
      throw new QuerySyntaxError(`Nothing to search for after "${name}" at position ${token.position}`, token.position);
    }
    return { kind: 'not', child: this.parsePrimary(depth), position: token.position };
  }

  private parsePrimary(depth: number): QueryNode {
    const token = this.next();
    switch (token.type) {
      case 'word':
      case 'phrase':
        return this.term(null, token.text, token.type === 'phrase', token.position);
      case 'field': {
        const value = this.peek();
        if (value.type === 'word' || value.type === 'phrase') {
          this.next();
          return this.term(token.field, value.text, value.type === 'phrase', token.position);
        }
        if (value.type === 'lparen') {
          throw new QuerySyntaxError(
            `${token.typed} takes a word or a "phrase", not parentheses (position ${token.position})`,
            token.position,
          );
        }
        throw new QuerySyntaxError(
          `Nothing to search for after "${token.typed}" at position ${token.position}`,
          token.position,
        );
      }
      case 'lparen': {
        if (depth + 1 > MAX_QUERY_DEPTH) {
          throw new QuerySyntaxError(`Too many nested parentheses (at most ${MAX_QUERY_DEPTH} levels)`, token.position);
        }
        if (this.peek().type === 'rparen') {
          throw new QuerySyntaxError(`Empty parentheses at position ${token.position}`, token.position);
        }
        const inner = this.parseOr(depth + 1);
        if (this.peek().type !== 'rparen') {
          throw new QuerySyntaxError(`Missing ")" to close the "(" at position ${token.position}`, token.position);
        }
        this.next();
        return inner;
      }
      case 'minus':
      case 'not':
      case 'or':
      case 'and':
      case 'rparen':
      case 'end':
        // parseAnd and parseUnary only call here on a token that starts an operand.
        throw new QuerySyntaxError(
          `Unexpected "${OPERATOR_NAMES[token.type] ?? ')'}" at position ${token.position}`,
          token.position,
        );
    }
  }

  private term(field: QueryField | null, text: string, phrase: boolean, position: number): TermNode {
    this.terms += 1;
    if (this.terms > MAX_QUERY_TERMS) {
      throw new QuerySyntaxError(`Too many search terms (at most ${MAX_QUERY_TERMS})`, position);
    }
    return { kind: 'term', field, text, phrase, position };
  }

  private startsOperand(token: Token): boolean {
    return (
      token.type === 'word' ||
      token.type === 'phrase' ||
      token.type === 'field' ||
      token.type === 'lparen' ||
      token.type === 'minus' ||
      token.type === 'not'
    );
  }

  private needsBothSides(token: Token): QuerySyntaxError {
    const name = OPERATOR_NAMES[token.type] ?? 'OR';
    return new QuerySyntaxError(
      `"${name}" at position ${token.position} needs something to search for on both sides`,
      token.position,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Normalisation and checks

/**
 * Characters the FTS5 unicode61 tokenizer keeps (letters, numbers, private use). A term without any, such as
 * `"!!!"` or an emoji, would be an empty FTS5 phrase that matches nothing: it is dropped from the query.
 */
const INDEXABLE = /[\p{L}\p{N}\p{Co}]/u;

export function isSearchableTerm(term: TermNode): boolean {
  return term.field === 'org' ? term.text.trim() !== '' : INDEXABLE.test(term.text);
}

/** Drops terms that cannot match, flattens nested AND/OR, removes double negation. */
function simplify(node: QueryNode): QueryNode | null {
  switch (node.kind) {
    case 'term':
      return isSearchableTerm(node) ? (node.field === 'org' ? { ...node, text: node.text.trim() } : node) : null;
    case 'not': {
      const child = simplify(node.child);
      if (child === null) return null;
      return child.kind === 'not' ? child.child : { kind: 'not', child, position: node.position };
    }
    case 'and':
    case 'or': {
      const children: QueryNode[] = [];
      for (const child of node.children) {
        const simple = simplify(child);
        if (simple === null) continue;
        if (simple.kind === node.kind) children.push(...simple.children);
        else children.push(simple);
      }
      const [first] = children;
      if (first === undefined) return null;
      return children.length === 1 ? first : { kind: node.kind, children, position: node.position };
    }
  }
}

/** True when the node selects papers by itself (rather than only removing some). */
export function isPositive(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
      return true;
    case 'not':
      return false;
    case 'and':
      return node.children.some(isPositive);
    case 'or':
      return node.children.every(isPositive);
  }
}

function check(node: QueryNode): void {
  switch (node.kind) {
    case 'term':
      return;
    case 'not':
      if (!isPositive(node.child)) {
        throw new QuerySyntaxError(
          `The exclusion at position ${node.position} has nothing to exclude: it only holds exclusions itself`,
          node.position,
        );
      }
      check(node.child);
      return;
    case 'or':
      for (const child of node.children) {
        if (!isPositive(child)) {
          throw new QuerySyntaxError(
            `Each side of "OR" needs a word to search for, not only exclusions (position ${child.position})`,
            child.position,
          );
        }
        check(child);
      }
      return;
    case 'and':
      node.children.forEach(check);
      return;
  }
}

/**
 * Parses a query typed by a user. Throws a QuerySyntaxError (a UserFacingError) naming the problem and its
 * position for anything it cannot search for.
 */
export function parseQuery(input: string): ParsedQuery {
  const chars = Array.from(input);
  if (chars.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(
      `Queries are limited to ${MAX_QUERY_LENGTH} characters; this one has ${chars.length}`,
      MAX_QUERY_LENGTH,
    );
  }
  const tree = new Parser(tokenize(chars)).parse();
  const root = simplify(tree);
  if (root === null) {
    throw new QuerySyntaxError('Nothing to search for: the query has no letters or numbers', 0);
  }
  check(root);
  if (!isPositive(root)) {
    throw new QuerySyntaxError(
      'A query cannot be only exclusions: add a word to search for, e.g. diffusion -survey',
      root.position,
    );
  }
  return { source: input, root };
}

// ---------------------------------------------------------------------------------------------------------
// Printing

/** One term as typed canonically: `word`, `"a phrase"`, `author:"Yann LeCun"`. */
export function formatTerm(term: TermNode): string {
  const value = term.phrase ? `"${term.text}"` : term.text;
  return term.field === null ? value : `${term.field}:${value}`;
}

/**
 * The canonical text of a query tree (used to show topics and in tests). It parses back to the same tree,
 * positions aside.
 */
export function formatQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return formatTerm(node);
    case 'not':
      return `-${node.child.kind === 'term' ? formatQuery(node.child) : `(${formatQuery(node.child)})`}`;
    case 'and':
      return node.children
        .map((child) => (child.kind === 'or' ? `(${formatQuery(child)})` : formatQuery(child)))
        .join(' ');
    case 'or':
      return node.children
        .map((child) => (child.kind === 'and' ? `(${formatQuery(child)})` : formatQuery(child)))
        .join(' OR ');
  }
}

/** The terms that select papers (those not under an exclusion), in query order. */
export function positiveTerms(node: QueryNode): TermNode[] {
  switch (node.kind) {
    case 'term':
      return [node];
    case 'not':
      return [];
    case 'and':
    case 'or':
      return node.children.flatMap(positiveTerms);
  }
}
