#!/bin/sh
# Start hook.mjs with a node that exists: the one recorded at install, else `node` on PATH. Without one, do
# nothing: a hook must never fail or slow down a Claude Code session.
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname -- "$here")
if [ -f "$root/install.env" ]; then
  # shellcheck source=/dev/null
  . "$root/install.env"
fi
node=${SKILLOPT_SLEEP_NODE:-}
if [ -z "$node" ] || [ ! -x "$node" ]; then
  node=$(command -v node 2>/dev/null) || exit 0
fi
"$node" "$here/hook.mjs" "$@" 2>/dev/null
exit 0
