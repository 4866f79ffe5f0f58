#!/bin/sh
# /skillopt-sleep: run a night now (the CLI asks the daemon when it is up, else runs it here), progress on
# stderr, then the morning report's summary. Arguments pass through to `run` (e.g. --dry-run, --skill NAME).
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
sh "$here/skillopt-sleep.sh" run --now "$@"
code=$?
if [ "$code" -ne 0 ]; then
  exit "$code"
fi
for arg in "$@"; do
  # A dry run stages nothing, so there is no report to show.
  if [ "$arg" = "--dry-run" ]; then exit 0; fi
done
echo
sh "$here/skillopt-sleep.sh" report
