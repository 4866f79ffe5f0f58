/** A patch operation on a skill body. */
export type EditOp = 'append' | 'insert_after' | 'replace' | 'delete';

/** One proposed edit, as the optimizer returns it (after parsing). */
export interface Edit {
  op: EditOp;
  /** Exact text the edit anchors on (insert_after, replace, delete). Ignored for append. */
  anchor?: string;
  /** New text (append, insert_after, replace). */
  content?: string;
  rationale?: string;
  /** Task ids the optimizer saw when proposing it. */
  evidence?: string[];
}

/** Why an edit could not be applied. */
export type UnmatchedReason =
  | 'anchor_missing'
  | 'anchor_not_found'
  | 'anchor_ambiguous'
  | 'anchor_in_protected_region'
  | 'anchor_in_frontmatter'
  | 'anchor_in_code_fence'
  | 'content_missing'
  | 'content_has_protected_marker'
  | 'no_change';

/** The outcome of one edit in an apply report. */
export type EditOutcome =
  | { status: 'applied'; match: 'exact' | 'normalized' | 'none' }
  | { status: 'unmatched'; reason: UnmatchedReason; detail: string };
