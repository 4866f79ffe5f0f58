import { join } from 'node:path';
import { LAUNCHD_LABEL, type ServiceSpec } from './spec.js';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Where launchd's own stdout/stderr capture goes (before pino is up, and crashes). */
export function launchdLogPaths(spec: ServiceSpec): { out: string; err: string } {
  return { out: join(spec.stateHome, 'logs', 'launchd.out.log'), err: join(spec.stateHome, 'logs', 'launchd.err.log') };
}

/**
 * The launchd agent: started at login (RunAtLoad), restarted when it exits with an error (KeepAlive
 * SuccessfulExit=false) but not after a clean stop, at background priority, with an explicit PATH and node path.
 */
export function renderLaunchdPlist(spec: ServiceSpec): string {
  const logs = launchdLogPaths(spec);
  const args = [spec.nodePath, spec.cliPath, 'daemon'].map((a) => `    <string>${xml(a)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by \`skillopt-sleep install\`; \`skillopt-sleep uninstall\` removes it. -->
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
    <key>PATH</key>
    <string>${xml(spec.pathEnv)}</string>
    <key>HOME</key>
    <string>${xml(spec.homeDir)}</string>
    <key>SKILLOPT_SLEEP_HOME</key>
    <string>${xml(spec.stateHome)}</string>
  </dict>
  <key>WorkingDirectory</key>
  <string>${xml(spec.homeDir)}</string>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>10</integer>
  <key>ExitTimeOut</key>
  <integer>${spec.stopTimeoutSeconds}</integer>
  <key>ProcessType</key>
  <string>Background</string>
  <key>LowPriorityIO</key>
  <true/>
  <key>Nice</key>
  <integer>10</integer>
  <key>StandardOutPath</key>
  <string>${xml(logs.out)}</string>
  <key>StandardErrorPath</key>
  <string>${xml(logs.err)}</string>
</dict>
</plist>
`;
}
