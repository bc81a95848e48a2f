/**
 * useResource: loads data from the API, optionally re-polling, and exposes the latest data,
 * the latest error and a reload(). A failed poll keeps the last good data on screen (with
 * the error beside it) instead of blanking the page.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], pollMs?: number): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // Data from the previous deps must not show under new deps (another topic's partitions).
  useEffect(() => setState({ data: undefined, error: undefined, loading: true }), deps);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await loadRef.current();
        if (live) setState({ data, error: undefined, loading: false });
      } catch (error) {
        if (live) setState((s) => ({ data: s.data, error, loading: false }));
      }
      if (live && pollMs !== undefined && !document.hidden) timer = setTimeout(run, pollMs);
      else if (live && pollMs !== undefined) timer = setTimeout(run, pollMs * 4);
    };
    void run();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [...deps, tick, pollMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
