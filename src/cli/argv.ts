/** The first argument past the global options (`--home DIR`, `--home=DIR`, `--verbose`), or undefined. */
function firstArgument(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--home') i++;
    else if (arg === '--verbose' || arg.startsWith('--home=')) continue;
    else return arg;
  }
  return undefined;
}

/** The top-level command an argv runs (past the global options), or undefined for help, a version or none. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  const arg = firstArgument(argv);
  return arg === undefined || arg.startsWith('-') || arg === 'help' ? undefined : arg;
}

/** True when the argv only asks for the version (`--version` or `-V` before any command): no command need load. */
export function asksOnlyVersion(argv: readonly string[]): boolean {
  const arg = firstArgument(argv);
  return arg === '--version' || arg === '-V';
}
