import { z } from 'zod';
import type { JsonSchemaSpec } from '../models/types.js';

// Every reply we ask a model for, declared once: backends with structured output get the JSON schema
// (z.toJSONSchema), the others get the shape in the prompt, and every reply still goes through the
// lenient parsers (a local model ignores schemas). Strict objects with every key required and nullable
// where optional: what OpenAI's strict json_schema mode accepts.

const EDIT_OPS = ['append', 'insert_after', 'replace', 'delete'] as const;

/** One edit in a reflection reply. */
export const EditReplySchema = z.strictObject({
  op: z.enum(EDIT_OPS).describe('append: add at the end; insert_after: add after the anchor; replace: swap the anchor for content; delete: remove the anchor'),
  anchor: z.string().nullable().describe('exact text copied from the current skill; null for append'),
  content: z.string().nullable().describe('the new text; null for delete'),
  rationale: z.string().describe('why this edit fixes the trajectories shown'),
  evidence: z.array(z.string()).describe('ids of the trajectories behind it'),
});

/** A reflection reply: a short summary and the proposed edits. */
export const EditsReplySchema = z.strictObject({
  summary: z.string().describe('what the trajectories have in common'),
  edits: z.array(EditReplySchema),
});

/** The slow update's reply: reasoning and the new guidance block (empty keeps the current one). */
export const SlowUpdateReplySchema = z.strictObject({
  reasoning: z.string(),
  guidance: z.string().describe('a short Markdown bullet list for the protected region, or empty to keep the current guidance'),
});

/** The meta-notes reply (optimizer-side memory). */
export const MetaNotesReplySchema = z.strictObject({
  notes: z.string(),
});

/** A mining reply: one replay task and its judge. */
export const MinerReplySchema = z.strictObject({
  prompt: z.string(),
  context: z.string(),
  rubric: z.string(),
  checks: z.array(z.strictObject({ op: z.string(), arg: z.union([z.string(), z.number(), z.array(z.string()), z.null()]) })),
  notes: z.string(),
});

/** The rubric judge's reply. */
export const RubricReplySchema = z.strictObject({
  score: z.number().min(0).max(1),
  reason: z.string(),
});

/** A named JSON schema for a backend's structured output, from a zod schema. */
export function jsonSchemaOf(name: string, schema: z.ZodType): JsonSchemaSpec {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  // The draft marker is noise to providers (and some reject unknown top-level keys).
  delete json['$schema'];
  return { name, schema: json };
}

/** The structured-output specs the trainer, judge and miner send. */
export const REPLY_SCHEMAS = {
  edits: jsonSchemaOf('skill_edits', EditsReplySchema),
  slowUpdate: jsonSchemaOf('slow_update_guidance', SlowUpdateReplySchema),
  metaNotes: jsonSchemaOf('optimizer_notes', MetaNotesReplySchema),
  miner: jsonSchemaOf('mined_task', MinerReplySchema),
  rubric: jsonSchemaOf('rubric_score', RubricReplySchema),
} as const;
