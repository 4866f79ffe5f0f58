/**
 * The product's own process, measured: `skillopt-sleep harvest` run by importing the built CLI in this process, which
 * loads nothing else first, so its peak RSS and CPU are the command's. Run by harvest-bench.ts:
 * `node cli-child.js <result file> <cli args...>` with HOME and SKILLOPT_SLEEP_HOME set; writes one JSON object to
 * the result file (stdout is the command's).
 */
import { writeFileSync } from 'node:fs';

const [resultFile, ...args] = process.argv.slice(2);
if (!resultFile || args.length === 0) {
  process.stderr.write('usage: cli-child.js <result file> <cli args...>\n');
  process.exitCode = 2;
} else {
  const cli = new URL('../cli/main.js', import.meta.url);
  process.argv = [process.argv[0] as string, cli.pathname, ...args];
  const cpu = process.cpuUsage();
  const started = performance.now();
  await import(cli.href);
  const used = process.cpuUsage(cpu);
  writeFileSync(resultFile, JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS, exitCode: process.exitCode ?? 0 }));
}
