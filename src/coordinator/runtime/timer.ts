/**
 * Keyed timers for coordinators (Kafka's CoordinatorTimer): session expiries, rebalance
 * and sync deadlines, periodic clean-ups. Scheduling a key that is already scheduled
 * replaces it, so "reset the member's session" is one call; cancelling an unknown key is
 * a no-op. Time comes from a Scheduler so tests drive it by hand (ManualScheduler) and
 * never sleep.
 *
 * Ownership: one KeyedTimer per coordinator shard; the shard cancels all of them when it
 * is unloaded.
 */
import { ManualClock } from '../../clock.ts';
import type { Clock } from '../../clock.ts';

/** Where timer callbacks come from: real setTimeout, or a hand-driven clock in tests. */
export interface Scheduler extends Clock {
  /** Runs `task` after `delayMs`; returns a handle for cancel. */
  schedule(delayMs: number, task: () => void): SchedulerHandle;
}

export interface SchedulerHandle {
  cancel(): void;
}

/** setTimeout-backed scheduler; timers do not keep the process alive. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, task) {
    const t = setTimeout(task, Math.max(0, delayMs));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A Scheduler that also wraps a Clock the rest of the broker reads (the broker's clock). */
export function schedulerFor(clock: Clock): Scheduler {
  return clock instanceof ManualScheduler ? clock : { ...systemScheduler, now: () => clock.now() };
}

interface ManualTask {
  readonly dueMs: number;
  readonly seq: number;
  readonly task: () => void;
  cancelled: boolean;
}

/**
 * Test scheduler: time moves only in `advance`, which runs every task that falls due, in
 * deadline order (ties in scheduling order), including tasks scheduled by earlier ones.
 */
export class ManualScheduler extends ManualClock implements Scheduler {
  #tasks: ManualTask[] = [];
  #seq = 0;

  schedule(delayMs: number, task: () => void): SchedulerHandle {
    const entry: ManualTask = { dueMs: this.now() + Math.max(0, delayMs), seq: this.#seq++, task, cancelled: false };
    this.#tasks.push(entry);
    return { cancel: () => { entry.cancelled = true; } };
  }

  /** Tasks not yet run or cancelled. */
  get pendingCount(): number {
    return this.#tasks.filter((t) => !t.cancelled).length;
  }

  override advance(ms: number): void {
    const targetMs = this.now() + ms;
    for (let next = this.#nextDue(targetMs); next !== null; next = this.#nextDue(targetMs)) {
      super.advance(next.dueMs - this.now());
      this.#tasks = this.#tasks.filter((t) => t !== next);
      next.task();
    }
    super.advance(targetMs - this.now());
  }

  #nextDue(targetMs: number): ManualTask | null {
    this.#tasks = this.#tasks.filter((t) => !t.cancelled);
    let best: ManualTask | null = null;
    for (const t of this.#tasks) {
      if (t.dueMs > targetMs) continue;
      if (best === null || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Named timers over a Scheduler. */
export class KeyedTimer {
  readonly #scheduler: Scheduler;
  readonly #handles = new Map<string, SchedulerHandle>();

  constructor(scheduler: Scheduler) {
    this.#scheduler = scheduler;
  }

  /** Runs `task` in `delayMs`, replacing any timer with the same key. */
  schedule(key: string, delayMs: number, task: () => void): void {
    this.cancel(key);
    const handle = this.#scheduler.schedule(delayMs, () => {
      this.#handles.delete(key);
      task();
    });
    this.#handles.set(key, handle);
  }

  cancel(key: string): void {
    this.#handles.get(key)?.cancel();
    this.#handles.delete(key);
  }

  isScheduled(key: string): boolean {
    return this.#handles.has(key);
  }

  get size(): number {
    return this.#handles.size;
  }

  cancelAll(): void {
    for (const handle of this.#handles.values()) handle.cancel();
    this.#handles.clear();
  }
}
