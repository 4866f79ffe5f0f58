/** The top-level command an argv runs (past the global options), or undefined for help, a version or none. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--home') i++;
    else if (arg === '--verbose' || arg.startsWith('--home=')) continue;
    else return arg.startsWith('-') || arg === 'help' ? undefined : arg;
  }
  return undefined;
}

/** True when the argv only asks for the version (`--version` or `-V` before any command): no command need load. */
export function asksOnlyVersion(argv: readonly string[]): boolean {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--home') i++;
    else if (arg === '--verbose' || arg.startsWith('--home=')) continue;
    else return arg === '--version' || arg === '-V';
  }
  return false;
}
