// Adoption planning (pure): what to write when a person adopts a proposal, given what the file holds now.
import { sha256 } from '../core/hash.js';
import { applyEdits } from './patch.js';
import { readProtectedContent, writeProtectedContent } from './protected-region.js';
import type { Edit } from './types.js';

/** How to rebuild a proposal from any base: its accepted edits in order, then the slow-update region's content. */
export interface ReapplyRecipe {
  edits: Edit[];
  /** The protected region's content in the proposal, when the night changed it; null when it did not. */
  protectedContent: string | null;
}

/** Apply a recipe to a text; ok only when every edit applied. */
export function applyRecipe(text: string, recipe: ReapplyRecipe): { ok: true; text: string } | { ok: false; unmatched: Array<{ index: number; reason: string; detail: string; edit: Edit }> } {
  const result = applyEdits(text, recipe.edits);
  const unmatched = result.report.flatMap((row) => (row.outcome.status === 'unmatched' ? [{ index: row.index, reason: row.outcome.reason, detail: row.outcome.detail, edit: row.edit }] : []));
  if (unmatched.length > 0) return { ok: false, unmatched };
  return { ok: true, text: recipe.protectedContent === null ? result.text : writeProtectedContent(result.text, recipe.protectedContent) };
}

/** The recipe that turns base into proposal, and whether it really does (checked, never assumed). */
export function buildRecipe(base: string, proposal: string, acceptedEdits: readonly Edit[]): { recipe: ReapplyRecipe; reapplicable: boolean } {
  const before = readProtectedContent(base);
  const after = readProtectedContent(proposal);
  const recipe: ReapplyRecipe = { edits: acceptedEdits.map((e) => ({ ...e })), protectedContent: after !== null && after !== before ? after : null };
  const rebuilt = applyRecipe(base, recipe);
  return { recipe, reapplicable: rebuilt.ok && rebuilt.text === proposal };
}

/** What an adoption does. */
export type AdoptPlan =
  | { kind: 'write'; content: string; how: 'as-trained' | 'reapplied' | 'created' }
  | { kind: 'record-only'; content: string }
  | { kind: 'refuse'; reason: string; hint: string };

/**
 * Decide an adoption: the file still holds the base -> write the proposal; it already holds the proposal ->
 * only record it (an adopt interrupted after its write); it was changed by hand -> re-apply the proposal's
 * edits to the new text, and write only when every edit applies; it is missing -> write the proposal.
 */
export function planAdopt(input: {
  skillName: string;
  proposal: { content: string; sha256: string; baseSha256: string; recipe: ReapplyRecipe; reapplicable: boolean; nightId: number };
  /** The file's canonical text now; null when the file does not exist. */
  current: string | null;
}): AdoptPlan {
  const { proposal, current, skillName } = input;
  if (current === null) return { kind: 'write', content: proposal.content, how: 'created' };
  const sha = sha256(current);
  if (sha === proposal.sha256) return { kind: 'record-only', content: current };
  if (sha === proposal.baseSha256) return { kind: 'write', content: proposal.content, how: 'as-trained' };
  const resolve = `look at your change with \`skillopt-sleep diff ${skillName}\`, then either reject this proposal (\`skillopt-sleep reject --night ${proposal.nightId} --skill ${skillName}\`) and let the next night train on your text, or undo your change and adopt again`;
  if (!proposal.reapplicable) {
    return { kind: 'refuse', reason: `${skillName} changed on disk since night ${proposal.nightId} trained it, and this proposal cannot be re-applied edit by edit`, hint: resolve };
  }
  const reapplied = applyRecipe(current, proposal.recipe);
  if (!reapplied.ok) {
    const lines = reapplied.unmatched.map((u) => `edit ${u.index + 1} (${u.edit.op}${u.edit.anchor ? ` at "${u.edit.anchor.slice(0, 50)}"` : ''}): ${u.reason.replace(/_/g, ' ')}`);
    return { kind: 'refuse', reason: `${skillName} changed on disk since night ${proposal.nightId} trained it, and ${lines.length} of ${proposal.recipe.edits.length} edits no longer apply:\n  ${lines.join('\n  ')}`, hint: resolve };
  }
  return { kind: 'write', content: reapplied.text, how: 'reapplied' };
}

/** Every change a recipe makes, as edits: its anchor edits, then the slow-update region's new content (for the rejected-edit memory). */
export function recipeEdits(recipe: ReapplyRecipe): Edit[] {
  return [...recipe.edits, ...(recipe.protectedContent !== null ? [{ op: 'replace' as const, anchor: 'slow-update guidance block', content: recipe.protectedContent, rationale: 'epoch-end slow update (protected region)' }] : [])];
}
