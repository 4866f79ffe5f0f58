import type { Command } from 'commander';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { CliContext } from '../../app/deps.js';
import { daemonLogPath } from '../../daemon/log-file.js';
import { lastLines, renderLogLine } from '../../daemon/log-render.js';
import { numberArg } from '../number-arg.js';

/** `logs [-f]`: the daemon's log, readable (or raw JSON lines with --json). */
export function registerLogs(program: Command, context: () => CliContext): void {
  program
    .command('logs')
    .description('show the daemon log (logs/daemon.log in the state folder); -f follows it across rotations')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --lines <n>', 'lines to show first', numberArg('int', 0), 50)
    .option('--json', 'print the raw JSON lines')
    .action(async (opts: { follow?: boolean; lines: number; json?: boolean }) => {
      const ctx = context();
      const path = daemonLogPath(ctx.paths.logs);
      const show = (line: string) => ctx.output.out(opts.json ? line : renderLogLine(line));
      if (!existsSync(path) && !opts.follow) {
        ctx.output.err(`no daemon log yet at ${path} (the daemon writes it: \`skillopt-sleep install\` or \`skillopt-sleep daemon\`)`);
        return;
      }
      let offset = 0;
      let inode = 0;
      if (existsSync(path)) {
        const text = readFileSync(path, 'utf8');
        for (const line of lastLines(text, opts.lines)) show(line);
        offset = Buffer.byteLength(text);
        inode = statSync(path).ino;
      }
      if (!opts.follow) return;
      let partial = '';
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (!existsSync(path)) return;
          const stats = statSync(path);
          // Rotated (a new file) or truncated: read the new file from its start.
          if (stats.ino !== inode || stats.size < offset) {
            inode = stats.ino;
            offset = 0;
            partial = '';
          }
          if (stats.size === offset) return;
          const fd = openSync(path, 'r');
          try {
            const buffer = Buffer.alloc(stats.size - offset);
            readSync(fd, buffer, 0, buffer.length, offset);
            offset = stats.size;
            const text = partial + buffer.toString('utf8');
            const lines = text.split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) if (line) show(line);
          } finally {
            closeSync(fd);
          }
        }, 300);
        const stop = () => {
          clearInterval(timer);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
