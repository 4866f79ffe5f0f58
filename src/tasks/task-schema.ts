import { z } from 'zod';

/** A short name for a value's type, for messages ("a number", "nothing"). */
export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty text' : 'text';
  return `a ${typeof value}`;
}

/** Non-empty text; the message names what was found and says the fix. */
function text(fix: string) {
  return z
    .string({ error: (issue) => `expected text, got ${describeType(issue.input)}; ${fix}` })
    .refine((value) => value.trim() !== '', { error: `must not be empty; ${fix}` });
}

function textList(fix: string) {
  return z.array(z.string({ error: (issue) => `expected text, got ${describeType(issue.input)}; ${fix}` }), {
    error: (issue) => `expected a list of texts, got ${describeType(issue.input)}; ${fix}`,
  });
}

const checkSchema = z.object(
  {
    op: z.string({ error: (issue) => `expected the op name as text, got ${describeType(issue.input)}; e.g. "contains"` }),
    arg: z
      .union([z.string(), z.number(), z.array(z.string())], {
        error: (issue) => `expected text, a number or a list of texts, got ${describeType(issue.input)}; e.g. "arg": "feat:" or "arg": 400`,
      })
      .optional(),
  },
  { error: (issue) => `expected a check object, got ${describeType(issue.input)}; write {"op": "contains", "arg": "..."}` },
);

const checksSchema = z.array(checkSchema, {
  error: (issue) => `expected a list of checks, got ${describeType(issue.input)}; write [{"op": "contains", "arg": "..."}]`,
});

const judgeSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('rule'),
      checks: checksSchema.min(1, { error: 'a rule judge needs at least one check; add {"op": "...", "arg": "..."}' }),
    }),
    z.object({ kind: z.literal('exact'), answer: text('give the expected answer as text') }),
    z.object({
      kind: z.literal('rubric'),
      rubric: text('describe what a good reply does, as text'),
      checks: checksSchema.optional(),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'must be "rule", "exact" or "rubric"'
        : `expected a judge object, got ${describeType(issue.input)}; write {"kind": "rule", "checks": [...]}`,
  },
);

const simulationSchema = z.object(
  {
    answer: z.string({ error: (issue) => `expected text, got ${describeType(issue.input)}; give the plain answer the simulated target would print` }),
    tool: text('name the tool the task would use').optional(),
    json: z.record(z.string(), z.unknown(), { error: 'expected a JSON object; give the structured answer as an object' }).optional(),
    sources: textList('list the sources as texts').optional(),
    difficulty: z
      .number({ error: (issue) => `expected a number from 0 to 1, got ${describeType(issue.input)}` })
      .min(0, { error: 'must be from 0 to 1' })
      .max(1, { error: 'must be from 0 to 1' })
      .optional(),
  },
  { error: (issue) => `expected an object, got ${describeType(issue.input)}; write {"answer": "..."}` },
);

/** The schema of one line of a task file. */
export const taskLineSchema = z.object({
  id: text('give each task a unique, non-empty "id"').refine((value) => value.length <= 200, {
    error: 'is longer than 200 characters; use a short id',
  }),
  prompt: text('give the task its prompt as text'),
  context: z.string({ error: (issue) => `expected text, got ${describeType(issue.input)}; give extra context as text or leave it out` }).optional(),
  judge: judgeSchema,
  split: z.enum(['train', 'val', 'test'], { error: 'must be "train", "val" or "test" (or leave it out to assign by hash)' }).optional(),
  tags: textList('write tags as ["a", "b"]').optional(),
  simulation: simulationSchema.optional(),
  origin: z.enum(['real', 'dream'], { error: 'must be "real" or "dream"' }).optional(),
  family: text('name the task family as text, or leave it out').optional(),
});

/** The keys a task line may have; others are reported as warnings (likely typos). */
export const TASK_KEYS: readonly string[] = Object.keys(taskLineSchema.shape);

/** One task line as the schema reads it (check ops are still plain strings here). */
export type TaskLine = z.infer<typeof taskLineSchema>;
