/**
 * Online log template mining with one setting for every system (no per-system regexes or thresholds).
 *
 * 1. Masking: each whitespace token is cut at delimiters (= : , ; ( ) [ ] { } " ' < > |); a piece is a variable when it
 *    holds a digit (numbers, ids, IPs, ports, hex, sizes, durations, dates, block and job ids…), is a path or URL, or
 *    is hexadecimal-looking; variables become <*>, and runs of <*>-only tokens collapse into one, so a variable that
 *    spans several tokens does not change the message length.
 * 2. Grouping: Drain's fixed-depth prefix tree (He et al., ICWS 2017): messages are bucketed by length and by their
 *    first tokens; in a bucket the cluster sharing the largest fraction of constant tokens is chosen if it reaches the
 *    similarity threshold, else a new cluster starts. Positions where a cluster's messages differ become <*>.
 * The template of each message is available at once (online); counts per template are kept.
 */

/** One mined template. */
export interface LogTemplate {
  /** Stable id: "T" + sequence number in order of first appearance. */
  readonly id: string;
  /** Tokens joined by single spaces, variables as <*>. */
  readonly template: string;
  readonly count: number;
}

export interface LogMinerSettings {
  /** Share of constant positions that must agree for a message to join a cluster. */
  readonly similarity: number;
  /** Tree depth: length + (depth − 2) leading tokens route a message to its bucket (as in Drain). */
  readonly depth: number;
  /** Children per tree node before new tokens share a wildcard branch. */
  readonly maxChildren: number;
}

/** The one setting used for every log source (evaluated on the ten LogHub-2k systems; see docs/aiops-engine.md). */
export const LOG_MINER_SETTINGS: LogMinerSettings = { similarity: 0.5, depth: 3, maxChildren: 100 };

export const WILDCARD = '<*>';

const DELIMITERS = /([=:,;()[\]{}"'<>|])/;
const HAS_DIGIT = /\d/;
const HEXISH = /^(?:0x)?[0-9a-f]{8,}$/i;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Month and weekday names are parts of dates. */
const DATE_WORD = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)$/i;
/** A lower-case dotted host name: a generic top-level domain, or 3+ labels and a country code (Java package names end in a class name). */
const HOST = /^(?:[a-z0-9-]+\.)+(?:com|net|org|edu|gov|mil|info|biz|io|local|lan|internal|localdomain)\.?$|^[a-z0-9-]+(?:\.[a-z0-9-]+){2,}\.[a-z]{2}$/;
/** MAC addresses and other colon/dash-separated hex pairs. */
const HEX_PAIRS = /^(?:[0-9a-f]{2}[:-]){3,}[0-9a-f]{2}$/i;
/** Units that belong to the number before them (size 12 KB / 12 B are one variable). */
const UNIT = /^(?:[kmgtp]i?b|b|bytes?|ms|us|µs|ns|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?)[,;.)]?$/i;
const EMPTY_INSIDE = /\(\)|\[\]|\{\}/g;
const ONLY_VALUES = /^(?:<\*>|[=:,;()[\]{}"'<>|.\-/])+$/;
const EMPTY_VALUE = /^(?:\(\)|\[\]|\{\}|""|'')$/;

/** A piece of a token (between delimiters) that carries a value rather than wording. */
function isVariable(piece: string): boolean {
  if (piece.length === 0) return false;
  if (HAS_DIGIT.test(piece)) return true;
  if (piece.length > 1 && (piece.startsWith('/') || piece.startsWith('./') || piece.startsWith('../') || piece.includes('\\'))) return true;
  return HEXISH.test(piece) || DATE_WORD.test(piece) || HOST.test(piece);
}

/** Masks one message into tokens (variables as <*>, consecutive wildcard tokens collapsed). */
export function maskTokens(message: string): string[] {
  const out: string[] = [];
  for (const token of message.split(/\s+/)) {
    if (token.length === 0) continue;
    let masked: string;
    if ((token.includes('://') && URL.test(token)) || HEX_PAIRS.test(token)) masked = WILDCARD;
    else if (out[out.length - 1] === WILDCARD && UNIT.test(token)) {
      // The unit belongs to the number before it; punctuation after the unit stays.
      const trailing = /[,;.)]$/.exec(token);
      if (trailing) out[out.length - 1] = WILDCARD + trailing[0];
      continue;
    } else if (!DELIMITERS.test(token)) masked = isVariable(token) ? WILDCARD : token;
    else if (EMPTY_VALUE.test(token)) masked = `${token[0]}${WILDCARD}${token[1]}`;
    else {
      masked = '';
      for (const piece of token.split(DELIMITERS)) masked += isVariable(piece) ? WILDCARD : piece;
      // An empty value (`key=` at the end of a token, `()`) is a value too.
      if (masked.endsWith('=')) masked += WILDCARD;
      masked = masked.replace(EMPTY_INSIDE, (m) => `${m[0]}${WILDCARD}${m[1]}`);
    }
    // A token of values and punctuation only (a time 20:55:07, a version 1.2.3, (<*>)) is one value.
    if (masked !== WILDCARD && masked.includes(WILDCARD) && ONLY_VALUES.test(masked)) masked = WILDCARD;
    if (masked === WILDCARD && out[out.length - 1] === WILDCARD) continue;
    out.push(masked);
  }
  return out;
}

interface Cluster {
  readonly index: number;
  tokens: string[];
  count: number;
  /** Distinct words seen at constant positions by near-misses (a position turns into <*> at `cardinality`). */
  readonly seen: Map<number, Set<string>>;
  /** Set when this cluster was absorbed into a more general one. */
  into?: Cluster;
}

interface TreeNode {
  readonly children: Map<string, TreeNode>;
  clusters: Cluster[];
}

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

/** The result of adding one message. */
export interface MinerAssignment {
  readonly id: string;
  /** The message started a template. */
  readonly isNew: boolean;
  /** Templates absorbed into `id` because a position of it proved to be a variable (their ids now mean `id`). */
  readonly merged: string[];
}

/**
 * Online miner: `add` assigns a message to a template at once. Candidates come from Drain's prefix tree and
 * similarity; a near-miss (differing in constant positions) joins its candidate only when every differing position
 * has shown `cardinality` distinct words — the same rule as `mine` — and starts its own template otherwise. When a
 * position generalises, the templates it now covers are absorbed.
 */
export class LogTemplateMiner {
  private readonly root = new Map<number, TreeNode>();
  private readonly clusters: Cluster[] = [];
  private readonly exact = new Map<string, Cluster>();

  constructor(
    private readonly settings: LogMinerSettings = LOG_MINER_SETTINGS,
    private readonly cardinality = VARIABLE_CARDINALITY,
  ) {}

  /** Number of live templates. */
  get size(): number {
    return this.clusters.filter((c) => !c.into).length;
  }

  /** Assigns one message. */
  add(message: string): MinerAssignment {
    const tokens = maskTokens(message);
    const key = tokens.join('\u0001');
    const known = this.exact.get(key);
    if (known) {
      const c = live(known);
      c.count++;
      return { id: idOf(c.index), isNew: false, merged: [] };
    }
    const best = this.search(tokens);
    if (best) {
      const differing: number[] = [];
      for (let j = 0; j < tokens.length; j++) if (best.tokens[j] !== WILDCARD && best.tokens[j] !== tokens[j]) differing.push(j);
      let generalise = true;
      for (const j of differing) {
        let seen = best.seen.get(j);
        if (!seen) best.seen.set(j, (seen = new Set([best.tokens[j]])));
        if (seen.size < this.cardinality) seen.add(tokens[j]);
        if (seen.size < this.cardinality) generalise = false;
      }
      if (generalise) {
        for (const j of differing) best.tokens[j] = WILDCARD;
        const merged = differing.length > 0 ? this.absorbInto(best, tokens.length) : [];
        this.exact.set(key, best);
        best.count++;
        return { id: idOf(best.index), isNew: false, merged };
      }
    }
    const cluster: Cluster = { index: this.clusters.length, tokens, count: 1, seen: new Map() };
    this.clusters.push(cluster);
    this.exact.set(key, cluster);
    this.route(tokens, true)!.clusters.push(cluster);
    return { id: idOf(cluster.index), isNew: true, merged: [] };
  }

  /** Every live template, in order of first appearance. */
  templates(): LogTemplate[] {
    return this.clusters.filter((c) => !c.into).map((c) => ({ id: idOf(c.index), template: c.tokens.join(' '), count: c.count }));
  }

  /** The current template text of an id (following absorptions), or undefined. */
  template(id: string): string | undefined {
    const c = this.clusters[Number(id.slice(1)) - 1];
    return c ? live(c).tokens.join(' ') : undefined;
  }

  /** The live id an id stands for now (an absorbed template's id maps to the template that absorbed it). */
  resolve(id: string): string {
    const c = this.clusters[Number(id.slice(1)) - 1];
    return c ? idOf(live(c).index) : id;
  }

  /** Absorbs the other clusters of the same length that the generalised template now covers. */
  private absorbInto(general: Cluster, length: number): string[] {
    const merged: string[] = [];
    const visit = (node: TreeNode) => {
      node.clusters = node.clusters.filter((c) => {
        if (c === general || !covers(general.tokens, c.tokens)) return true;
        c.into = general;
        general.count += c.count;
        merged.push(idOf(c.index));
        return false;
      });
      for (const child of node.children.values()) visit(child);
    };
    const top = this.root.get(length);
    if (top) visit(top);
    return merged;
  }

  /** The bucket of a message: by length, then its first depth − 2 tokens (a token with a variable, or past maxChildren, shares the <*> branch). */
  private route(tokens: string[], create: boolean): TreeNode | undefined {
    let node: TreeNode | undefined = this.root.get(tokens.length);
    if (!node) {
      if (!create) return undefined;
      node = newNode();
      this.root.set(tokens.length, node);
    }
    const steps = Math.min(this.settings.depth - 2, tokens.length);
    for (let k = 0; k < steps; k++) {
      const token = tokens[k];
      let next: TreeNode | undefined = node.children.get(token);
      if (!next && !create) next = node.children.get(WILDCARD);
      else if (!next) {
        const key = token.includes(WILDCARD) || node.children.size >= this.settings.maxChildren ? WILDCARD : token;
        next = node.children.get(key);
        if (!next) {
          next = newNode();
          node.children.set(key, next);
        }
      }
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private search(tokens: string[]): Cluster | undefined {
    const node = this.route(tokens, false);
    if (!node) return undefined;
    let best: Cluster | undefined;
    let bestSim = -1;
    for (const c of node.clusters) {
      const sim = similarity(c.tokens, tokens);
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    return bestSim >= this.settings.similarity ? best : undefined;
  }
}

/** Share of positions holding a constant in either sequence where both hold the same token (1 when all are variables). */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  let same = 0;
  let constant = 0;
  for (let k = 0; k < template.length; k++) {
    const a = template[k];
    const b = tokens[k];
    if (a === WILDCARD && b === WILDCARD) continue;
    constant++;
    if (a === b) same++;
  }
  return constant === 0 ? 1 : same / constant;
}

const idOf = (index: number) => `T${index + 1}`;

const live = (c: Cluster): Cluster => {
  while (c.into) c = c.into;
  return c;
};

/** The template matches every token of the other at its constant positions. */
function covers(template: readonly string[], tokens: readonly string[]): boolean {
  for (let k = 0; k < template.length; k++) if (template[k] !== WILDCARD && template[k] !== tokens[k]) return false;
  return true;
}

/** Result of mining a batch of lines. */
export interface MineResult {
  readonly templates: LogTemplate[];
  /** Template id per input line, same order. */
  readonly assignments: string[];
}

/** Largest batch `mine` accepts. */
export const MAX_MINE_LINES = 50_000;

/** A column with at least this many distinct words in a group is a variable; fewer split the group (Brain's threshold). */
export const VARIABLE_CARDINALITY = 4;

/**
 * Mines templates from a batch of lines with one setting for every source: the masking above, then Brain's grouping
 * (Yu et al., ICSE 2023): among messages of equal length, each message's longest common pattern is the largest set
 * of its words that share one (position, word) frequency; messages with the same pattern form a group; in a group a
 * column with one word is constant, one with ≥ VARIABLE_CARDINALITY distinct words is a variable, and the others
 * split the group by their words. Ids number templates in order of first appearance. Throws RangeError on bad input.
 */
export function mine(lines: readonly string[], cardinality = VARIABLE_CARDINALITY): MineResult {
  if (lines.length === 0) throw new RangeError('lines must not be empty');
  if (lines.length > MAX_MINE_LINES) throw new RangeError(`lines has ${lines.length} entries; at most ${MAX_MINE_LINES}`);
  const tokens = lines.map((line, i) => {
    if (typeof line !== 'string') throw new RangeError(`lines[${i}] must be a string`);
    return maskTokens(line);
  });
  const byLength = new Map<number, number[]>();
  tokens.forEach((t, i) => {
    const g = byLength.get(t.length);
    if (g) g.push(i);
    else byLength.set(t.length, [i]);
  });
  const groupOf = new Array<string>(lines.length);
  for (const [length, members] of byLength) {
    // (position, word) frequencies within the length bucket.
    const freq = Array.from({ length }, () => new Map<string, number>());
    for (const i of members) tokens[i].forEach((w, j) => freq[j].set(w, (freq[j].get(w) ?? 0) + 1));
    const groups = new Map<string, number[]>();
    for (const i of members) {
      const key = `${length}|${commonPattern(tokens[i], freq)}`;
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    }
    for (const [key, g] of groups) splitGroup(key, g, tokens, cardinality, groupOf);
  }
  // Templates in order of first appearance.
  const ids = new Map<string, { index: number; tokens: string[]; count: number }>();
  const assignments = groupOf.map((g, i) => {
    let t = ids.get(g);
    if (!t) {
      t = { index: ids.size, tokens: [...tokens[i]], count: 0 };
      ids.set(g, t);
    } else for (let k = 0; k < t.tokens.length; k++) if (t.tokens[k] !== tokens[i][k]) t.tokens[k] = WILDCARD;
    t.count++;
    return idOf(t.index);
  });
  const templates = [...ids.values()].map((t) => ({ id: idOf(t.index), template: t.tokens.join(' '), count: t.count }));
  return { templates, assignments };
}

/** The message's longest common pattern: positions and words of the largest set of words sharing one frequency (ties: the more frequent). */
function commonPattern(words: readonly string[], freq: readonly Map<string, number>[]): string {
  const sets = new Map<number, number>();
  words.forEach((w, j) => {
    if (w === WILDCARD) return;
    const f = freq[j].get(w)!;
    sets.set(f, (sets.get(f) ?? 0) + 1);
  });
  let bestF = -1;
  let bestN = 0;
  for (const [f, n] of sets) if (n > bestN || (n === bestN && f > bestF)) [bestF, bestN] = [f, n];
  const parts: string[] = [];
  words.forEach((w, j) => {
    if (w !== WILDCARD && freq[j].get(w) === bestF) parts.push(`${j}=${w}`);
  });
  return parts.join('\u0000');
}

/** Splits a group by its low-cardinality columns and records each line's final group key. */
function splitGroup(key: string, members: readonly number[], tokens: readonly string[][], cardinality: number, groupOf: string[]): void {
  const length = tokens[members[0]].length;
  const splitters: number[] = [];
  for (let j = 0; j < length; j++) {
    const distinct = new Set<string>();
    for (const i of members) {
      distinct.add(tokens[i][j]);
      if (distinct.size >= cardinality) break;
    }
    if (distinct.size > 1 && distinct.size < cardinality && !distinct.has(WILDCARD)) splitters.push(j);
  }
  for (const i of members) groupOf[i] = splitters.length === 0 ? key : `${key}|${splitters.map((j) => tokens[i][j]).join('\u0000')}`;
}
