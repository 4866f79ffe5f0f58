import { z } from 'zod';

/** The `mine` section of config.json (merged into the main schema by the lead). */
export const MineConfigSchema = z
  .strictObject({
    similarity: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe('Cosine of prompt features at or above which a prompt joins a task family (higher: fewer, purer families; on the labelled fixture 0.5 gives pairwise precision 0.95, recall 0.80).'),
    exemplars: z.number().int().min(1).max(200).default(8).describe('Members of a family kept to match new prompts against (bounds the cost of re-mining).'),
    minSessions: z.number().int().min(2).default(2).describe('Distinct sessions a family must span before it recurs and yields replay tasks.'),
    maxTasksPerFamily: z.number().int().min(1).default(40).describe('Most replay tasks one family contributes: every request is an instance (near-identical prompts folded); over this, the newest are kept and the rest wait, counted in the mining report.'),
    maxNewTasksPerRun: z.number().int().min(0).default(200).describe('Most new tasks one mining run adds; the rest wait for the next run (counted in the mining report).'),
    minInstancesToHoldOut: z.number().int().min(3).default(5).describe('Instances a family needs before its later ones go to val and test; a smaller family trains and is reported as waiting.'),
    maxPromptChars: z.number().int().min(200).default(4000).describe('A task prompt longer than this (a pasted log) is cut to this many characters.'),
    llm: z.enum(['auto', 'never']).default('auto').describe('auto: when an optimizer model is given, it writes each new or grown family\'s prompt, context and judge; never: heuristic judges only (no model call).'),
    gameableToTrain: z.boolean().default(true).describe('A task whose judge only checks shape (headings, length) goes to train only, so it never gates an edit alone.'),
  })
  .describe('Mining recurring tasks from harvested sessions.');

/** Parsed mining settings. */
export type MineConfig = z.infer<typeof MineConfigSchema>;

/** The defaults, for callers without a config file (tests, benches). */
export const DEFAULT_MINE_CONFIG: MineConfig = MineConfigSchema.parse({});
