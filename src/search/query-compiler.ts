import { formatTerm, isPositive, type ParsedQuery, type QueryNode, type TermNode } from './query-parser.js';

/**
 * Compiles a parsed query into what SQLite runs:
 * - an FTS5 MATCH expression built only from double-quoted strings (user text, `"` doubled) joined by our own
 *   operators, passed as a bound parameter. A quoted string is always a phrase to FTS5, so `*`, `^`, `:`,
 *   `NEAR(`, `AND`, `{title}` typed by a user are text to the tokenizer, never syntax. The porter tokenizer
 *   stems quoted terms too: `"models"` finds "model".
 * - SQL conditions over `p` (the papers table), with bound parameters, for what FTS cannot do: `org:`, and
 *   any part of the query that mixes `org:` with text inside OR or exclusions.
 */

export type SqlValue = string | number;

export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** A condition on `p`; `org` marks a plain `org:` term, which indexes on the org columns can answer. */
export interface CompiledFilter extends SqlFragment {
  readonly org: boolean;
}

export interface CompiledQuery {
  /**
   * The FTS5 MATCH expression that drives the search and ranks it, or null when the query has no full-text
   * part that selects papers by itself (e.g. `org:nvidia`, `org:nvidia OR diffusion`).
   */
  readonly match: string | null;
  /**
   * `match` without its exclusions (null when `match` is): what ranks a match (bm25, the title boost). An
   * excluded word or phrase is absent from every match, so it adds nothing to a score, but bm25 would still
   * count the papers holding it over the whole index (its IDF), which costs as much as a query on it.
   */
  readonly rankMatch: string | null;
  /** Further conditions on `p` that every result must satisfy (ANDed), possibly none. */
  readonly filters: readonly CompiledFilter[];
}

/** FTS5 column (of papers_fts) searched by each field; null: all columns. */
const FIELD_COLUMNS = { title: 'title', author: 'authors', keyword: 'ai_keywords' } as const;

/** A string as an FTS5 string literal: the only form in which user text reaches MATCH. */
export function quoteFts(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function containsOrg(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
      return node.field === 'org';
    case 'not':
      return containsOrg(node.child);
    case 'and':
    case 'or':
      return node.children.some(containsOrg);
  }
}

function ftsTerm(term: TermNode): string {
  if (term.field === 'org') throw new Error('org: terms are compiled to SQL, not FTS');
  const quoted = quoteFts(term.text);
  return term.field === null ? quoted : `{${FIELD_COLUMNS[term.field]}} : ${quoted}`;
}

/**
 * FTS5 expression of an org-free node that is positive (see isPositive). Exclusions become FTS5's binary NOT:
 * `(a AND b) NOT (c OR d)`, or are left out with `exclusions: 'drop'`. Everything is parenthesised, so FTS5's
 * own precedence never matters.
 */
function ftsExpression(node: QueryNode, exclusions: 'keep' | 'drop' = 'keep'): string {
  const recurse = (child: QueryNode): string => ftsExpression(child, exclusions);
  switch (node.kind) {
    case 'term':
      return ftsTerm(node);
    case 'or':
      return `(${node.children.map(recurse).join(' OR ')})`;
    case 'and': {
      const positives = node.children.filter((child) => child.kind !== 'not').map(recurse);
      const negatives = node.children.flatMap((child) => (child.kind === 'not' ? [recurse(child.child)] : []));
      const include = positives.length === 1 ? (positives[0] ?? '') : `(${positives.join(' AND ')})`;
      return negatives.length === 0 || exclusions === 'drop' ? include : `(${include} NOT (${negatives.join(' OR ')}))`;
    }
    case 'not':
      // check() in the parser guarantees exclusions only appear next to something positive.
      throw new Error('A bare exclusion cannot be compiled to FTS5');
  }
}

/**
 * How a full-text part that cannot be the MATCH of the main query is tested on a row of `p`:
 * - 'set': `p.rowid IN (SELECT rowid ... MATCH ?)`, evaluated once per query (good when scanning many rows);
 * - 'row': a correlated EXISTS that FTS5 answers by rowid (good for a few candidate rows, as topics have).
 */
export type MembershipMode = 'set' | 'row';

function ftsMembership(expression: string, mode: MembershipMode): SqlFragment {
  return {
    sql:
      mode === 'set'
        ? 'p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)'
        : 'EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = p.rowid)',
    params: [expression],
  };
}

/**
 * `org:` matches the organisation's slug or display name, case-insensitively (ASCII case, as COLLATE NOCASE:
 * slugs are ASCII). Written so that indexes on `org_name`/`org_fullname COLLATE NOCASE` can serve it; it is
 * NULL for papers without an organisation, which the NOT below takes care of.
 */
function orgCondition(term: TermNode): SqlFragment {
  return {
    sql: '(p.org_name = ? COLLATE NOCASE OR p.org_fullname = ? COLLATE NOCASE)',
    params: [term.text, term.text],
  };
}

/** NOT that treats NULL as false (plain NOT NULL is NULL, which would drop the row). */
function negate(inner: SqlFragment): SqlFragment {
  return { sql: `NOT coalesce(${inner.sql}, 0)`, params: inner.params };
}

function combine(parts: readonly SqlFragment[], operator: 'AND' | 'OR'): SqlFragment {
  return {
    sql: `(${parts.map((part) => part.sql).join(` ${operator} `)})`,
    params: parts.flatMap((part) => part.params),
  };
}

/** SQL condition on `p` equivalent to the node. Org-free subtrees go to FTS5 as one MATCH each. */
function sqlCondition(node: QueryNode, mode: MembershipMode): SqlFragment {
  if (!containsOrg(node) && isPositive(node)) return ftsMembership(ftsExpression(node), mode);
  switch (node.kind) {
    case 'term':
      // Text terms are positive and org-free: only org: terms get here.
      return orgCondition(node);
    case 'not':
      return negate(sqlCondition(node.child, mode));
    case 'or':
      return combine(
        node.children.map((child) => sqlCondition(child, mode)),
        'OR',
      );
    case 'and':
      return combine(
        node.children.map((child) => sqlCondition(child, mode)),
        'AND',
      );
  }
}

/**
 * The query split for SQLite: the org-free top-level parts form one MATCH expression (which ranks), the rest
 * becomes SQL conditions. When no org-free part selects anything by itself, there is no MATCH and exclusions
 * become `NOT (... MATCH ...)` conditions.
 */
export function compileQuery(parsed: ParsedQuery, mode: MembershipMode = 'set'): CompiledQuery {
  const parts = parsed.root.kind === 'and' ? parsed.root.children : [parsed.root];
  const textParts = parts.filter((part) => !containsOrg(part));
  const filters: CompiledFilter[] = parts
    .filter(containsOrg)
    .map((part) => ({ ...sqlCondition(part, mode), org: part.kind === 'term' }));

  if (textParts.some(isPositive)) {
    const [only] = textParts;
    const textNode: QueryNode =
      textParts.length === 1 && only !== undefined ? only : { kind: 'and', children: textParts, position: 0 };
    return { match: ftsExpression(textNode), rankMatch: ftsExpression(textNode, 'drop'), filters };
  }
  const exclusions = textParts.flatMap((part) => (part.kind === 'not' ? [part.child] : []));
  const [single] = exclusions;
  if (single !== undefined) {
    const excluded: QueryNode =
      exclusions.length === 1 ? single : { kind: 'or', children: exclusions, position: single.position };
    filters.push({ ...negate(ftsMembership(ftsExpression(excluded), mode)), org: false });
  }
  return { match: null, rankMatch: null, filters };
}

/**
 * Each positive term of the query compiled on its own, to tell which of them a matching paper contains
 * (the "why it matched" of topic previews).
 */
export function compileTerms(
  terms: readonly TermNode[],
  mode: MembershipMode = 'row',
): { label: string; condition: SqlFragment }[] {
  return terms.map((term) => ({
    label: formatTerm(term),
    condition: term.field === 'org' ? orgCondition(term) : ftsMembership(ftsTerm(term), mode),
  }));
}

/**
 * The query with its top-level words and phrases OR-ed instead of AND-ed (exclusions and org: kept), for a
 * second try when no paper has all of them: bm25 then ranks the papers that have most of the (rarest) words
 * first. Null when there is nothing to relax (fewer than two such parts).
 */
export function relaxQuery(parsed: ParsedQuery): ParsedQuery | null {
  const root = parsed.root;
  if (root.kind !== 'and') return null;
  const words = root.children.filter((child) => child.kind !== 'not' && !containsOrg(child));
  const [first] = words;
  if (first === undefined || words.length < 2) return null;
  const alternatives = words.flatMap((word) => (word.kind === 'or' ? word.children : [word]));
  const either: QueryNode = { kind: 'or', children: alternatives, position: first.position };
  const rest = root.children.filter((child) => !words.includes(child));
  return {
    source: parsed.source,
    root: rest.length === 0 ? either : { kind: 'and', children: [either, ...rest], position: root.position },
  };
}
