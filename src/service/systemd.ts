import { SYSTEMD_UNIT, type ServiceSpec } from './spec.js';

/** Quote one word for a systemd command line or assignment (specifiers and variables escaped). */
export function systemdQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** The unit's name, for systemctl. */
export const unitName = SYSTEMD_UNIT;

/**
 * The systemd user unit: restarted on failure (not after a clean stop), SIGTERM then the daemon's own shutdown
 * deadline before SIGKILL, lower CPU priority, output to the journal (the daemon's own log is in the state folder).
 */
export function renderSystemdUnit(spec: ServiceSpec): string {
  return `# Written by \`skillopt-sleep install\`; \`skillopt-sleep uninstall\` removes it.
# Runs while you are logged in; to keep it running after logout: loginctl enable-linger $USER
[Unit]
Description=skillopt-sleep: harvests agent transcripts and trains your skill files at night

[Service]
Type=simple
ExecStart=${[spec.nodePath, spec.cliPath, 'daemon'].map(systemdQuote).join(' ')}
WorkingDirectory=%h
Environment=${systemdQuote(`PATH=${spec.pathEnv}`)}
Environment=${systemdQuote(`SKILLOPT_SLEEP_HOME=${spec.stateHome}`)}
Restart=on-failure
RestartSec=10
KillMode=mixed
TimeoutStopSec=${spec.stopTimeoutSeconds}
Nice=10

[Install]
WantedBy=default.target
`;
}
