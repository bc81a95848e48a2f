/**
 * Plain-text tables as Kafka's command-line tools print them: left-aligned columns as wide
 * as their longest cell, separated by one space.
 */

/** `lines[0]` is the header; the last column is not padded. */
export function table(lines: string[][]): string {
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]))).join(' ')).join('\n');
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
