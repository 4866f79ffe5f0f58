import type { Command } from 'commander';
import type { CliContext } from '../../app/deps.js';
import { cliServiceStatus } from '../service-status.js';

/** `mcp`: the MCP server over stdio. stdout belongs to the protocol; logs go to stderr only. */
export function registerMcp(program: Command, context: () => CliContext, version: string): void {
  program
    .command('mcp')
    .description('serve the sleep_* tools (status, run, report, adopt, reject, rollback, history) to an MCP client over stdio')
    .action(async () => {
      // Loaded here, not at start-up: the SDK's import costs every other command a noticeable delay.
      const [{ StdioServerTransport }, { createMcpServer }, { createProcessSleepApi }] = await Promise.all([
        import('@modelcontextprotocol/sdk/server/stdio.js'),
        import('../../mcp/server.js'),
        import('../../mcp/compose.js'),
      ]);
      const ctx = context();
      // The use cases run in this process on createDeps(); its logger (ctx.logger) writes to stderr only.
      const api = createProcessSleepApi({ global: { home: ctx.paths.home }, environment: ctx.environment, logger: ctx.logger, readServiceStatus: cliServiceStatus(ctx) });
      const server = createMcpServer(api, { version, logger: ctx.logger });
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        server.server.onclose = () => resolve();
      });
      await server.connect(transport);
      ctx.logger.info('skillopt-sleep MCP server ready on stdio');
      // The client ends the session by closing our stdin. Requests still running are answered first (a script
      // may pipe its requests and close stdin at once); then the transport closes and the command returns.
      const pending = new Set<string | number>();
      let ending = false;
      const closeWhenIdle = () => {
        if (ending && pending.size === 0) void server.close();
      };
      const receive = transport.onmessage;
      transport.onmessage = (message) => {
        if ('id' in message && 'method' in message) pending.add(message.id);
        receive?.(message);
      };
      const send = transport.send.bind(transport);
      transport.send = async (message) => {
        await send(message);
        if ('id' in message && !('method' in message) && message.id !== undefined) {
          pending.delete(message.id);
          closeWhenIdle();
        }
      };
      process.stdin.once('end', () => {
        ending = true;
        closeWhenIdle();
      });
      await closed;
    });
}
