/**
 * Merges options over defaults, ignoring options that are present but undefined
 * (`{ timeoutMs: undefined }` must not erase the default, as a plain spread would).
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...defaults, ...defined } as D & O;
}
