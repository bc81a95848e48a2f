// Re-indents generated code by bracket depth so the emitters need not track
// indentation. Brackets inside strings and comment lines are ignored.

const OPEN = '{([';
const CLOSE = '})]';

function depthChange(line: string): { leadingClosers: number; delta: number } {
  if (line.startsWith('//') || line.startsWith('/*') || line.startsWith('*')) {
    return { leadingClosers: 0, delta: 0 };
  }
  let leadingClosers = 0;
  while (leadingClosers < line.length && CLOSE.includes(line[leadingClosers])) leadingClosers++;
  let delta = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (OPEN.includes(c)) delta++;
    else if (CLOSE.includes(c)) delta--;
  }
  return { leadingClosers, delta };
}

export function reindent(code: string): string {
  let depth = 0;
  const out: string[] = [];
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      out.push('');
      continue;
    }
    const { leadingClosers, delta } = depthChange(line);
    const own = Math.max(0, depth - leadingClosers);
    const continuation = line.startsWith('*') ? ' ' : '';
    out.push('  '.repeat(own) + continuation + line);
    depth = Math.max(0, depth + delta);
  }
  return out.join('\n');
}
