import { shortHash } from '../core/hash.js';
import { MIN_SHARED, sharedWeight, vectorize, type PromptVector } from './features.js';

/** One clustered prompt: where it came from and the text it is clustered by. */
export interface PromptItem {
  /** Stable key of the prompt: `source:sessionId:promptIndex`. */
  key: string;
  sessionKey: string;
  text: string;
}

/** A family as the index holds it: its id, the session keys it spans and the members it matches against. */
export interface FamilyState {
  id: string;
  founderKey: string;
  /** Session keys it spans (for a family loaded from a FamilyStore, only those seen since it was loaded). */
  sessions: Set<string>;
  memberCount: number;
  /** The first members' vectors; later members only count (matching cost stays bounded). */
  exemplars: PromptVector[];
}

/** Clustering knobs (from MineConfig). */
export interface ClusterOptions {
  /** Cosine at or above which a prompt joins a family. */
  threshold: number;
  /** How many members of a family are kept to match new prompts against. */
  exemplars: number;
}

/** A stored family with its exemplar vectors, as a lazily filled index loads it. */
export interface StoredFamily {
  id: string;
  founderKey: string;
  /** Founding order among stored families (ties go to the older). */
  order: number;
  memberCount: number;
  exemplars: readonly PromptVector[];
}

/**
 * Where a lazily filled index finds stored families: the postings of their features (read once per feature), then
 * only the families a prompt shares enough features with to be compared at all (MIN_SHARED) are ever loaded.
 */
export interface FamilyStore {
  /** For each feature, the stored families with an exemplar holding it. */
  familiesWithFeatures(features: readonly string[]): Map<string, string[]>;
  /** These stored families with their exemplar vectors, oldest first. */
  loadFamilies(ids: readonly string[]): StoredFamily[];
}

/** Founding order of families created during this run: after every stored one. */
const NEW_FAMILY_ORDER = 2 ** 40;

/** Where one prompt went. */
export interface Assignment {
  familyId: string;
  created: boolean;
  similarity: number;
}

/** Family id from its founding member: stable across re-mining, whatever joins later. */
export function familyIdFor(founderKey: string): string {
  return `fam-${shortHash(`family\u0000${founderKey}`).slice(0, 12)}`;
}

/**
 * An incremental, deterministic clustering of prompts into task families (online leader clustering):
 * each prompt joins the family whose exemplars it is most similar to (max cosine, ties to the older
 * family), or founds a new one. Fed in chronological order, re-mining only new prompts gives the same
 * families as mining everything again, so family ids stay stable.
 */
export class FamilyIndex {
  readonly families = new Map<string, FamilyState>();
  private readonly order = new Map<string, number>();
  /** Exemplar number -> its family; postings hold (exemplar, weight) per feature, so a query sums dot products directly. */
  private readonly exemplarFamily: string[] = [];
  private readonly postings = new Map<string, { exemplars: number[]; weights: number[] }>();
  private dots = new Float64Array(64);
  private shared = new Uint16Array(64);
  /** Stored families by feature, for every feature already asked of the store. */
  private readonly storedPostings = new Map<string, readonly string[]>();
  private created = 0;

  /**
   * With a store, families are loaded on demand: a prompt can only match an exemplar it shares at least MIN_SHARED
   * (weighted) features with, so a family whose exemplars together share fewer cannot be its match. Loading exactly
   * the others before matching gives the same assignments as loading every family up front, at a cost that grows
   * with the new prompts rather than with everything mined before (a one-off's word shared with one old one-off no
   * longer loads it).
   */
  constructor(
    private readonly options: ClusterOptions,
    private readonly store?: FamilyStore,
  ) {}

  /** Load a stored family with its exemplar vectors (as computed when they were stored). */
  restoreVectors(family: StoredFamily): void {
    if (this.families.has(family.id)) return;
    const state: FamilyState = { id: family.id, founderKey: family.founderKey, sessions: new Set(), memberCount: family.memberCount, exemplars: [] };
    this.families.set(state.id, state);
    this.order.set(state.id, family.order);
    for (const vector of family.exemplars.slice(0, this.options.exemplars)) this.addExemplar(state, vector);
  }

  private loadSharing(vector: PromptVector): void {
    if (!this.store) return;
    const fresh = [...vector.features.keys()].filter((key) => !this.storedPostings.has(key));
    if (fresh.length > 0) {
      const postings = this.store.familiesWithFeatures(fresh);
      for (const key of fresh) this.storedPostings.set(key, postings.get(key) ?? []);
    }
    const shared = new Map<string, number>();
    for (const key of vector.features.keys()) {
      for (const id of this.storedPostings.get(key) ?? []) if (!this.families.has(id)) shared.set(id, (shared.get(id) ?? 0) + sharedWeight(key));
    }
    const comparable = [...shared].filter(([, weight]) => weight >= MIN_SHARED).map(([id]) => id);
    if (comparable.length > 0) for (const family of this.store.loadFamilies(comparable)) this.restoreVectors(family);
  }

  /** Load a stored family with the texts of its first members (the exemplars). */
  restore(family: { id: string; founderKey: string; sessions: Iterable<string>; memberCount: number; exemplarTexts: readonly string[] }): void {
    const state: FamilyState = {
      id: family.id,
      founderKey: family.founderKey,
      sessions: new Set(family.sessions),
      memberCount: family.memberCount,
      exemplars: [],
    };
    this.families.set(state.id, state);
    this.order.set(state.id, this.order.size);
    for (const text of family.exemplarTexts.slice(0, this.options.exemplars)) this.addExemplar(state, vectorize(text));
  }

  /** Assign one prompt; the vector may be passed when the caller has it already. */
  assign(item: PromptItem, vector: PromptVector = vectorize(item.text)): Assignment {
    this.loadSharing(vector);
    const best = this.bestMatch(vector);
    if (best && best.similarity >= this.options.threshold) {
      const family = this.families.get(best.familyId) as FamilyState;
      family.sessions.add(item.sessionKey);
      family.memberCount++;
      if (family.exemplars.length < this.options.exemplars) this.addExemplar(family, vector);
      return { familyId: family.id, created: false, similarity: best.similarity };
    }
    const id = familyIdFor(item.key);
    const state: FamilyState = { id, founderKey: item.key, sessions: new Set([item.sessionKey]), memberCount: 1, exemplars: [] };
    this.families.set(id, state);
    this.order.set(id, this.store ? NEW_FAMILY_ORDER + this.created++ : this.order.size);
    this.addExemplar(state, vector);
    return { familyId: id, created: true, similarity: 1 };
  }

  /**
   * The most similar family by max exemplar cosine (the same rule as `cosine`: at least MIN_SHARED
   * shared features), ties to the older family. Dot products are summed along the feature postings.
   */
  bestMatch(vector: PromptVector): { familyId: string; similarity: number } | undefined {
    const touched: number[] = [];
    for (const [key, weight] of vector.features) {
      const posting = this.postings.get(key);
      if (!posting) continue;
      const counts = sharedWeight(key);
      for (let j = 0; j < posting.exemplars.length; j++) {
        const e = posting.exemplars[j] as number;
        if (this.shared[e] === 0) touched.push(e);
        this.shared[e] = (this.shared[e] as number) + counts;
        this.dots[e] = (this.dots[e] as number) + weight * (posting.weights[j] as number);
      }
    }
    let best: { familyId: string; similarity: number } | undefined;
    for (const e of touched) {
      const similarity = (this.shared[e] as number) >= MIN_SHARED ? (this.dots[e] as number) : 0;
      const id = this.exemplarFamily[e] as string;
      this.shared[e] = 0;
      this.dots[e] = 0;
      if (similarity <= 0) continue;
      const older = best !== undefined && (this.order.get(id) ?? 0) < (this.order.get(best.familyId) ?? 0);
      if (best === undefined || similarity > best.similarity + 1e-12 || (Math.abs(similarity - best.similarity) <= 1e-12 && older)) {
        best = { familyId: id, similarity };
      }
    }
    return best;
  }

  private addExemplar(family: FamilyState, vector: PromptVector): void {
    family.exemplars.push(vector);
    const e = this.exemplarFamily.length;
    this.exemplarFamily.push(family.id);
    if (e >= this.dots.length) {
      const dots = new Float64Array(this.dots.length * 2);
      dots.set(this.dots);
      this.dots = dots;
      const shared = new Uint16Array(this.shared.length * 2);
      shared.set(this.shared);
      this.shared = shared;
    }
    for (const [key, weight] of vector.features) {
      let posting = this.postings.get(key);
      if (!posting) {
        posting = { exemplars: [], weights: [] };
        this.postings.set(key, posting);
      }
      posting.exemplars.push(e);
      posting.weights.push(weight);
    }
  }
}

/** Cluster a list of prompts in the order given (a convenience over FamilyIndex for tests and benches). */
export function clusterPrompts(items: readonly PromptItem[], options: ClusterOptions): Map<string, string> {
  const index = new FamilyIndex(options);
  const out = new Map<string, string>();
  for (const item of items) out.set(item.key, index.assign(item).familyId);
  return out;
}

/** Pairwise precision and recall of a clustering against gold labels (pairs in one family count). */
export function pairwiseScores(predicted: ReadonlyMap<string, string>, gold: ReadonlyMap<string, string>): { precision: number; recall: number; f1: number; pairs: { tp: number; fp: number; fn: number } } {
  const keys = [...gold.keys()].filter((k) => predicted.has(k));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const a = keys[i] as string;
      const b = keys[j] as string;
      const samePredicted = predicted.get(a) === predicted.get(b);
      const sameGold = gold.get(a) === gold.get(b);
      if (samePredicted && sameGold) tp++;
      else if (samePredicted) fp++;
      else if (sameGold) fn++;
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, pairs: { tp, fp, fn } };
}
