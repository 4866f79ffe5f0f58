#!/bin/sh
# Install the skillopt-sleep skill where Codex reads user skills, without the skillopt-sleep CLI's help.
# Prefer `skillopt-sleep plugins install codex` (it also records how to reach the CLI and can be undone with
# `skillopt-sleep plugins uninstall codex`). This script copies SKILL.md to one folder:
#   $CODEX_HOME/skills (default ~/.codex/skills) when your own skills already live there and ~/.agents/skills
#   holds none, else ~/.agents/skills (the location current Codex documents).
# Usage: sh install.sh [--uninstall]
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
agents="$HOME/.agents/skills"
codex="${CODEX_HOME:-$HOME/.codex}/skills"
has_user_skills() {
  [ -d "$1" ] || return 1
  for entry in "$1"/*/; do
    [ -d "$entry" ] || continue
    case "$(basename "$entry")" in skillopt-sleep) ;; *) return 0 ;; esac
  done
  return 1
}
target="$agents"
if has_user_skills "$codex" && ! has_user_skills "$agents"; then target="$codex"; fi
if [ "${1:-}" = "--uninstall" ]; then
  for dir in "$agents" "$codex"; do
    if [ -f "$dir/skillopt-sleep/SKILL.md" ]; then
      rm -f "$dir/skillopt-sleep/SKILL.md"
      rmdir "$dir/skillopt-sleep" 2>/dev/null || true
      echo "removed $dir/skillopt-sleep"
    fi
  done
  exit 0
fi
mkdir -p "$target/skillopt-sleep"
cp "$here/skillopt-sleep/SKILL.md" "$target/skillopt-sleep/SKILL.md"
echo "installed $target/skillopt-sleep/SKILL.md"
command -v skillopt-sleep >/dev/null 2>&1 || echo "note: skillopt-sleep is not on PATH; install it with \`npm i -g skillopt-sleep\`" >&2
