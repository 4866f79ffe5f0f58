import { z } from 'zod';
import { AGENTS } from '../skills/agents.js';
export { AGENTS, type AgentName } from '../skills/agents.js';

/** The `night` section of config.json: targets, thresholds, adoption and edit policy. */
export const NightConfigSchema = z
  .strictObject({
    managedSkill: z
      .strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'one lowercase path segment: letters, digits, dashes').default('skillopt-sleep-learned').describe('Name of the learned skill this tool owns (its folder name under each agent).'),
        agents: z
          .union([z.literal('auto'), z.array(z.enum(AGENTS)).min(1)])
          .default('auto')
          .describe('Agents the managed skill is written for: auto (each agent whose folder exists in HOME, else claude-code) or a list of claude-code, codex, copilot.'),
      })
      .prefault({})
      .describe('The managed learned skill.'),
    skills: z.array(z.string().min(1)).default([]).describe('Existing skill files (SKILL.md or any Markdown) the night also trains, user- or project-level; `run --skill PATH` adds one for a night.'),
    minTasks: z.number().int().min(2).default(6).describe('Fewest active tasks a skill needs before a night trains it (fewer wait for more sessions).'),
    autoAdopt: z.boolean().default(false).describe('Adopt a proposal that passed the gate without review; never when an edit is flagged by the edit policy.'),
    maxEditChars: z.number().int().min(40).default(800).describe('Edit policy: an edit adding more characters than this is flagged.'),
  })
  .describe('What one night trains and how its proposals are adopted.');

/** The validated night settings. */
export type NightConfig = z.infer<typeof NightConfigSchema>;
