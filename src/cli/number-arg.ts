import { InvalidArgumentError } from 'commander';

/** Parse a number flag, or say which flag and what it takes. */
export function numberArg(kind: 'int' | 'float', min?: number, max?: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) throw new InvalidArgumentError(`expected ${kind === 'int' ? 'a whole number' : 'a number'}, got "${value}"`);
    if (min !== undefined && n < min) throw new InvalidArgumentError(`must be at least ${min}`);
    if (max !== undefined && n > max) throw new InvalidArgumentError(`must be at most ${max}`);
    return n;
  };
}
