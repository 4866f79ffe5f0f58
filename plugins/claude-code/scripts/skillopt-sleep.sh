#!/bin/sh
# Run the skillopt-sleep CLI from inside the plugin: `skillopt-sleep` on PATH, else the node and CLI paths
# recorded by `skillopt-sleep plugins install claude-code` (install.env beside this folder), else say how to
# install it. Every script the plugin runs lives inside the plugin, so it works from Claude Code's plugin cache.
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname -- "$here")
if [ -f "$root/install.env" ]; then
  # shellcheck source=/dev/null
  . "$root/install.env"
fi
if [ -n "${SKILLOPT_SLEEP_STATE:-}" ] && [ -z "${SKILLOPT_SLEEP_HOME:-}" ]; then
  SKILLOPT_SLEEP_HOME=$SKILLOPT_SLEEP_STATE
  export SKILLOPT_SLEEP_HOME
fi
if command -v skillopt-sleep >/dev/null 2>&1; then
  exec skillopt-sleep "$@"
fi
if [ -n "${SKILLOPT_SLEEP_NODE:-}" ] && [ -x "$SKILLOPT_SLEEP_NODE" ] && [ -f "${SKILLOPT_SLEEP_CLI:-}" ]; then
  exec "$SKILLOPT_SLEEP_NODE" "$SKILLOPT_SLEEP_CLI" "$@"
fi
echo "skillopt-sleep: the CLI is not installed here; run \`npm i -g skillopt-sleep\`, then \`skillopt-sleep plugins install claude-code\`" >&2
exit 127
