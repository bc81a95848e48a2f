/**
 * Option parsers shared by the commands: integers with bounds, repeatable options, and
 * key=value pairs. A bad value throws commander's InvalidArgumentError, so commander
 * prints "error: option '--x <n>' argument 'y' is invalid. <why>" and exits 1.
 */
import { InvalidArgumentError } from 'commander';

/** A parser for an integer in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/** Accumulates a repeatable option's values, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Splits "k=v" at the first '='; the key must not be empty. */
export function splitKeyValue(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`'${text}' is not of the form key=value`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** A repeatable key=value option collected into a list of pairs (later entries win in maps). */
export function collectKeyValue(value: string, previous: [string, string][] = []): [string, string][] {
  return [...previous, splitKeyValue(value)];
}
