#!/usr/bin/env bash
# Installs the agent CLIs the real-client tests drive (test/e2e/real-agents.test.ts), at the versions those
# tests were written against, into a cache folder outside the repository, and prints the folder that holds
# their binaries. Nothing is installed when the pinned versions are already there.
#   usage: scripts/install-agent-clis.sh            -> prints e.g. /root/.cache/skillopt-sleep/agent-clis/node_modules/.bin
#   env:   SKILLOPT_AGENT_CLIS  the cache folder (default $HOME/.cache/skillopt-sleep/agent-clis)
# Bump a pin only together with the fixtures captured from that version (fixtures/transcripts/README.md).
set -euo pipefail
CLAUDE_CODE_VERSION=2.1.332
CODEX_VERSION=0.171.0
prefix="${SKILLOPT_AGENT_CLIS:-${HOME:-/root}/.cache/skillopt-sleep/agent-clis}"
bin="$prefix/node_modules/.bin"

installed_version() { # package name -> its installed version, or nothing
  local manifest="$prefix/node_modules/$1/package.json"
  [ -f "$manifest" ] && node -p "require(process.argv[1]).version" "$manifest" 2>/dev/null || true
}

if [ "$(installed_version @anthropic-ai/claude-code)" != "$CLAUDE_CODE_VERSION" ] \
  || [ "$(installed_version @openai/codex)" != "$CODEX_VERSION" ] \
  || [ ! -x "$bin/claude" ] || [ ! -x "$bin/codex" ]; then
  mkdir -p "$prefix"
  echo "installing @anthropic-ai/claude-code@$CLAUDE_CODE_VERSION and @openai/codex@$CODEX_VERSION into $prefix" >&2
  # A package.json of its own keeps npm from walking up into whatever project holds the cache folder.
  [ -f "$prefix/package.json" ] || echo '{"private":true,"name":"skillopt-sleep-agent-clis"}' > "$prefix/package.json"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "@openai/codex@$CODEX_VERSION" >&2
fi
for tool in claude codex; do
  if [ ! -x "$bin/$tool" ]; then
    echo "install-agent-clis: $bin/$tool is missing after the install; remove $prefix and run again" >&2
    exit 1
  fi
done
echo "$bin"
