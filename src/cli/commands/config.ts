import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { describeConfigKeys, configJsonSchema } from '../../config/docs.js';
import { defaultConfig } from '../../config/config.js';
import { writeFileAtomic } from '../../core/fs.js';
import { SkillOptError } from '../../core/errors.js';
import { emit } from '../output.js';

/** `config`: show the effective settings, document every key, write a starting file. */
export function registerConfig(program: Command, context: () => CliContext): void {
  const config = program.command('config').description('show, document and initialise config.json');
  config
    .command('show')
    .description('print the effective configuration (config.json over the defaults)')
    .option('--json', 'print as JSON (the default output is JSON too, with the file path first)')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const effective = ctx.config();
      const source = existsSync(ctx.paths.config) ? ctx.paths.config : `${ctx.paths.config} (absent: defaults)`;
      emit(ctx.output, opts.json, effective, (e) => `# ${source}\n${JSON.stringify(e, null, 2)}`);
    });
  config
    .command('schema')
    .description('list every config key with its type, default and meaning (--json-schema: the JSON Schema of config.json)')
    .option('--json', 'print as JSON')
    .option('--json-schema', 'print the JSON Schema of config.json (what config.schema.json holds)')
    .action((opts: { json?: boolean; jsonSchema?: boolean }) => {
      const ctx = context();
      if (opts.jsonSchema) {
        ctx.output.out(JSON.stringify(configJsonSchema(), null, 2));
        return;
      }
      const keys = describeConfigKeys();
      if (opts.json) {
        ctx.output.out(JSON.stringify(keys, null, 2));
        return;
      }
      ctx.output.out(keys.map((k) => `${k.key}  (${k.type}${k.default !== undefined ? `, default ${JSON.stringify(k.default)}` : ''})\n    ${k.description}`).join('\n'));
    });
  config
    .command('init')
    .description('write config.json with every default, to edit by hand (refuses to overwrite)')
    .option('--force', 'overwrite an existing config.json')
    .option('--json', 'print the written path as JSON')
    .action((opts: { force?: boolean; json?: boolean }) => {
      const ctx = context();
      if (existsSync(ctx.paths.config) && !opts.force) {
        throw new SkillOptError('CONFLICT', `${ctx.paths.config} already exists`, { hint: 'edit it, or pass --force to replace it with the defaults' });
      }
      writeFileAtomic(ctx.paths.config, `${JSON.stringify(defaultConfig(), null, 2)}\n`);
      ctx.output.out(opts.json ? JSON.stringify({ path: ctx.paths.config }) : ctx.paths.config);
    });
}
