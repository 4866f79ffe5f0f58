import { OWN_REPLAY_ENV } from '../core/own-replay.js';
import { withHarnessWorkspace, type WorkspaceOptions } from './harness-workspace.js';
import { runHarnessProcess, type HarnessDeps, type HarnessRunRequest, type HarnessRunResult } from './harness-process.js';

/**
 * Run an agent CLI once inside a fresh replay workspace (skill installed, removed afterwards whatever
 * happens), marked as our own replay in its environment as well as by the workspace's folder name.
 */
export function runReplay(deps: HarnessDeps, workspace: WorkspaceOptions, run: Omit<HarnessRunRequest, 'cwd' | 'env' | 'spawn'>): Promise<HarnessRunResult> {
  return withHarnessWorkspace(deps.tmpDir, workspace, (ws) =>
    runHarnessProcess({ ...run, cwd: ws.dir, env: { ...deps.env, [OWN_REPLAY_ENV]: '1' }, ...(deps.spawn ? { spawn: deps.spawn } : {}) }),
  );
}
