// Re-indents generated code by bracket nesting so the emitters need not track
// indentation. A line adds at most one level however many brackets it leaves open
// (`w.writeTaggedField(0, (w) => {` indents its body once). Brackets inside strings
// and comment lines are ignored.

const OPEN = '{([';
const CLOSE = '})]';

/** One open bracket: whether it contributed an indentation level. */
type Stack = number[];

function isComment(line: string): boolean {
  return line.startsWith('//') || line.startsWith('/*') || line.startsWith('*');
}

/** Applies the line's brackets to the stack; returns the depth to indent this line at. */
function consume(line: string, stack: Stack): number {
  let indentAt = -1;
  const before = stack.length;
  let lowest = before;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (OPEN.includes(c)) {
      stack.push(0);
    } else if (CLOSE.includes(c)) {
      stack.pop();
      lowest = Math.min(lowest, stack.length);
    }
    if (indentAt < 0 && !CLOSE.includes(c)) indentAt = levels(stack, lowest);
  }
  // The first bracket this line leaves open indents what follows by one level.
  if (stack.length > lowest) stack[lowest] = 1;
  return indentAt < 0 ? levels(stack, stack.length) : indentAt;
}

function levels(stack: Stack, upTo: number): number {
  let n = 0;
  for (let i = 0; i < upTo; i++) n += stack[i];
  return n;
}

export function reindent(code: string): string {
  const stack: Stack = [];
  return code
    .split('\n')
    .map((raw) => {
      const line = raw.trim();
      if (line === '') return '';
      const depth = isComment(line) ? levels(stack, stack.length) : consume(line, stack);
      return '  '.repeat(depth) + (line.startsWith('*') ? ' ' : '') + line;
    })
    .join('\n');
}
