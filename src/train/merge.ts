import type { Edit } from '../skills/types.js';

// Deterministic, code-side merge of the optimizer's proposals. The reference leaves dedup and
// contradictions to an LLM in completion order; we do them in code so a night replays exactly.

/** An edit as one reflection proposed it, tagged with where it came from. */
export interface ProposedEdit extends Edit {
  sourceType: 'failure' | 'success';
  /** Index of the minibatch whose reflection proposed it; sets the merge order. */
  minibatch: number;
  /** How many tasks back it (default 1); non-finite or non-positive values count as 1. */
  support?: number;
}

/** A proposal after duplicates were folded into it. */
export interface MergedEdit extends Edit {
  sourceType: 'failure' | 'success';
  /** Summed support of every folded proposal. */
  support: number;
  /** How many proposals folded in. */
  mergedFrom: number;
}

/** One contradiction and how it was settled; `kept` is null when every side was dropped. */
export interface Contradiction {
  kept: MergedEdit | null;
  dropped: Edit[];
  reason: string;
}

/** Merged edits in proposal order, how many proposals were folded away, and the contradictions settled. */
export interface MergeResult {
  merged: MergedEdit[];
  folded: number;
  contradictions: Contradiction[];
}

/** Lower-cases and collapses whitespace (and typographic apostrophes) so trivial variants compare equal. */
export function normalizeEditText(text: string | undefined): string {
  return (text ?? '').replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

function tokenSet(text: string | undefined): Set<string> {
  return new Set(normalizeEditText(text).match(/[\p{L}\p{N}_]+/gu) ?? []);
}

/** Token-set Jaccard similarity; two empty texts are identical (1). */
export function tokenJaccard(a: string | undefined, b: string | undefined): number {
  return jaccard(tokenSet(a), tokenSet(b));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared);
}

const NEAR_SAME = 0.8;

function sameContent(a: string | undefined, b: string | undefined): boolean {
  return normalizeEditText(a) === normalizeEditText(b) || tokenJaccard(a, b) >= NEAR_SAME;
}

// Append has no anchor, so all appends share the empty one.
function anchorKey(edit: Edit): string {
  return edit.op === 'append' ? '' : normalizeEditText(edit.anchor);
}

function supportOf(p: ProposedEdit): number {
  return p.support !== undefined && Number.isFinite(p.support) && p.support > 0 ? p.support : 1;
}

function compareOrder(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Folds one group of duplicate proposals (in merge order) into a single edit. */
function foldGroup(members: readonly ProposedEdit[]): MergedEdit {
  const counts = new Map<string, { n: number; first: ProposedEdit }>();
  for (const m of members) {
    const key = normalizeEditText(m.content);
    const entry = counts.get(key);
    if (entry) entry.n += 1;
    else counts.set(key, { n: 1, first: m });
  }
  // Map keeps insertion order, so a strict '>' leaves ties with the earliest wording.
  let best: { n: number; first: ProposedEdit } | undefined;
  for (const entry of counts.values()) if (!best || entry.n > best.n) best = entry;
  const rep = best?.first ?? (members[0] as ProposedEdit);
  const evidence: string[] = [];
  for (const m of members) for (const id of m.evidence ?? []) if (!evidence.includes(id)) evidence.push(id);
  const out: MergedEdit = {
    op: rep.op,
    sourceType: members.some((m) => m.sourceType === 'failure') ? 'failure' : 'success',
    support: members.reduce((sum, m) => sum + supportOf(m), 0),
    mergedFrom: members.length,
  };
  if (rep.anchor !== undefined) out.anchor = rep.anchor;
  if (rep.content !== undefined) out.content = rep.content;
  if (rep.rationale !== undefined) out.rationale = rep.rationale;
  if (evidence.length > 0) out.evidence = evidence;
  return out;
}

/** Orders proposals by minibatch then position, and folds duplicates (same op, anchor, near-same content). */
function foldDuplicates(proposals: readonly ProposedEdit[]): MergedEdit[] {
  const ordered = proposals
    .map((p, i) => ({ p, i, mb: Number.isFinite(p.minibatch) ? p.minibatch : Number.POSITIVE_INFINITY }))
    .sort((x, y) => compareOrder(x.mb, y.mb) || x.i - y.i)
    .map((x) => x.p);
  const groups: ProposedEdit[][] = [];
  for (const p of ordered) {
    // Compare with each group's first proposal only, so near-sameness cannot chain A~B~C into one.
    const home = groups.find((g) => {
      const seed = g[0] as ProposedEdit;
      return seed.op === p.op && anchorKey(seed) === anchorKey(p) && (p.op === 'delete' || sameContent(seed.content, p.content));
    });
    if (home) home.push(p);
    else groups.push([p]);
  }
  return groups.map(foldGroup);
}

/** Negative: stronger edit first; 0 when neither wins (equal support and source type). */
function compareStrength(a: MergedEdit, b: MergedEdit): number {
  if (a.support !== b.support) return b.support - a.support;
  if (a.sourceType !== b.sourceType) return a.sourceType === 'failure' ? -1 : 1;
  return 0;
}

function describe(edit: MergedEdit): string {
  return `support ${edit.support}, ${edit.sourceType}-derived`;
}

function quote(text: string | undefined): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return `"${flat.length > 60 ? `${flat.slice(0, 57)}...` : flat}"`;
}

/** Settles one contest between two camps by their strongest members; a full tie drops both camps. */
function settle(
  sideA: readonly MergedEdit[],
  sideB: readonly MergedEdit[],
  what: string,
): { drop: MergedEdit[]; record: Contradiction } {
  const topA = strongest(sideA);
  const topB = strongest(sideB);
  const cmp = compareStrength(topA, topB);
  if (cmp === 0) {
    const all = [...sideA, ...sideB];
    return {
      drop: all,
      record: { kept: null, dropped: all, reason: `${what}; both sides have ${describe(topA)}, so both were dropped` },
    };
  }
  const [top, lost] = cmp < 0 ? [topA, [...sideB]] : [topB, [...sideA]];
  return { drop: lost, record: { kept: top, dropped: lost, reason: `${what}; kept the side with ${describe(top)}` } };
}

function strongest(edits: readonly MergedEdit[]): MergedEdit {
  return edits.reduce((best, e) => (compareStrength(e, best) < 0 ? e : best));
}

/** Resolves delete/replace/insert_after disagreements on the same anchor. */
function resolveAnchorConflicts(edits: readonly MergedEdit[], contradictions: Contradiction[]): Set<MergedEdit> {
  const dropped = new Set<MergedEdit>();
  const anchors: string[] = [];
  for (const e of edits) {
    const key = anchorKey(e);
    if (e.op !== 'append' && key !== '' && !anchors.includes(key)) anchors.push(key);
  }
  for (const key of anchors) {
    const on = edits.filter((e) => e.op !== 'append' && anchorKey(e) === key);
    const anchorText = quote(on[0]?.anchor);
    // First a delete against everything that rewrites or extends the anchor, so a three-way tie drops all.
    const deletes = on.filter((e) => e.op === 'delete');
    const keepers = on.filter((e) => e.op === 'replace' || e.op === 'insert_after');
    if (deletes.length > 0 && keepers.length > 0) {
      const what = `a delete of ${anchorText} contradicts ${keepers.length} edit(s) that rewrite or extend it`;
      const { drop, record } = settle(deletes, keepers, what);
      for (const d of drop) dropped.add(d);
      contradictions.push(record);
    }
    // Then surviving replaces with different content (near-same ones were folded already).
    const replaces = on.filter((e) => e.op === 'replace' && !dropped.has(e));
    if (replaces.length >= 2) {
      const ranked = [...replaces].sort(compareStrength);
      const [first, second] = ranked as [MergedEdit, MergedEdit];
      const what = `${replaces.length} replaces of ${anchorText} disagree`;
      if (compareStrength(first, second) === 0) {
        for (const r of replaces) dropped.add(r);
        contradictions.push({ kept: null, dropped: replaces, reason: `${what}; the strongest tie at ${describe(first)}, so all were dropped` });
      } else {
        const lost = replaces.filter((r) => r !== first);
        for (const r of lost) dropped.add(r);
        contradictions.push({ kept: first, dropped: lost, reason: `${what}; kept the one with ${describe(first)}` });
      }
    }
  }
  return dropped;
}

/** Whether an instruction demands or forbids its object. */
export type Polarity = 'do' | 'dont';
/** An instruction read as "always X" (do) or "never X" (dont), X as a set of content words. */
export interface Directive {
  polarity: Polarity;
  object: Set<string>;
}

const NEGATIVE_PAIRS = new Set(['must not', 'should not', 'do not', 'does not', 'can not']);
const NEGATIVE_WORDS = new Set(['never', "don't", 'dont', "mustn't", 'mustnt', "shouldn't", 'shouldnt', "doesn't", 'avoid', 'cannot', "can't"]);
const POSITIVE_WORDS = new Set(['always', 'must', 'should']);
// Words that do not change what an instruction is about.
const FILLER = new Set(['you', 'we', 'i', 'please', 'ever', 'the', 'a', 'an', 'to']);

/**
 * Reads an instruction as "always X" or "never X". Conservative: null unless it carries
 * markers of exactly one polarity, so mixed or marker-free texts are never called contradictory.
 */
export function readDirective(content: string | undefined): Directive | null {
  const words = (normalizeEditText(content).match(/[\p{L}\p{N}_']+/gu) ?? []).map((w) => w.replace(/^'+|'+$/g, ''));
  const polarities = new Set<Polarity>();
  const object = new Set<string>();
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i] ?? '';
    const pair = `${w} ${words[i + 1] ?? ''}`;
    if (NEGATIVE_PAIRS.has(pair)) {
      polarities.add('dont');
      i += 1;
    } else if (NEGATIVE_WORDS.has(w)) polarities.add('dont');
    else if (POSITIVE_WORDS.has(w)) {
      // "must never", "should avoid" and the like read as one negative marker.
      if (NEGATIVE_WORDS.has(words[i + 1] ?? '')) {
        polarities.add('dont');
        i += 1;
      } else polarities.add('do');
    }
    else if (w !== '' && !FILLER.has(w)) object.add(w);
  }
  if (polarities.size !== 1 || object.size === 0) return null;
  const [polarity] = [...polarities] as [Polarity];
  return { polarity, object };
}

function contradictsDirective(a: MergedEdit, b: MergedEdit): boolean {
  const da = readDirective(a.content);
  const db = readDirective(b.content);
  return da !== null && db !== null && da.polarity !== db.polarity && jaccard(da.object, db.object) >= NEAR_SAME;
}

/** Resolves added instructions that say "always X" and "never X" about the same thing. */
function resolveContentConflicts(edits: readonly MergedEdit[], dropped: Set<MergedEdit>, contradictions: Contradiction[]): void {
  const adders = edits.filter((e) => e.op !== 'delete' && e.content !== undefined);
  for (let i = 0; i < adders.length; i += 1) {
    const a = adders[i] as MergedEdit;
    if (dropped.has(a)) continue;
    for (let j = i + 1; j < adders.length; j += 1) {
      const b = adders[j] as MergedEdit;
      if (dropped.has(b) || !contradictsDirective(a, b)) continue;
      const { drop, record } = settle([a], [b], `${quote(a.content)} contradicts ${quote(b.content)}`);
      for (const d of drop) dropped.add(d);
      contradictions.push(record);
      if (dropped.has(a)) break;
    }
  }
}

/**
 * Folds duplicate proposals (same op, same normalised anchor, normalised-equal or Jaccard >= 0.8 content),
 * summing support, keeping the most common wording and unioning evidence; then drops contradictions
 * (delete vs replace/insert_after on an anchor, differing replaces, "always X" vs "never X"): higher support
 * wins, failure-derived wins ties, a full tie drops both. Order is minibatch then position, so it is deterministic.
 */
export function mergeEdits(proposals: readonly ProposedEdit[]): MergeResult {
  const folded = foldDuplicates(proposals);
  const contradictions: Contradiction[] = [];
  const dropped = resolveAnchorConflicts(folded, contradictions);
  resolveContentConflicts(folded, dropped, contradictions);
  return {
    merged: folded.filter((e) => !dropped.has(e)),
    folded: proposals.length - folded.length,
    contradictions,
  };
}

/**
 * Ranks failure-derived edits above success-derived ones, then by support (descending), then by
 * original order, and keeps the first `budget` (floored; negative or NaN means none, Infinity means all).
 */
export function rankAndClip(edits: readonly MergedEdit[], budget: number): { selected: MergedEdit[]; clipped: MergedEdit[] } {
  const ranked = edits
    .map((e, i) => ({ e, i }))
    .sort((x, y) => {
      if (x.e.sourceType !== y.e.sourceType) return x.e.sourceType === 'failure' ? -1 : 1;
      if (x.e.support !== y.e.support) return y.e.support - x.e.support;
      return x.i - y.i;
    })
    .map((x) => x.e);
  const take = Number.isNaN(budget) || budget <= 0 ? 0 : Number.isFinite(budget) ? Math.floor(budget) : ranked.length;
  return { selected: ranked.slice(0, take), clipped: ranked.slice(take) };
}
