/**
 * V8 settings for a broker process, set by `gregor start` before the broker starts (an
 * embedded broker leaves its host's V8 alone). The heap-size flag that must be given at
 * start-up is on bin/gregor.js's shebang line instead.
 *
 * --external-memory-accounted-in-global-limit: every socket read is a fresh ArrayBuffer
 * (Node offers a server socket no reusable read buffer), and by default V8 starts a
 * mark-compact whenever such external memory has grown 64 MB since the last one, however
 * much of it is already garbage: every ~3 s at 20 MB/s of produce traffic, back to back at
 * max rate, each stalling the event loop for 10-20 ms (incremental marking steps and the
 * final pause). With the flag, external memory counts toward the heap's global limit,
 * which grows with the heap. docs/PERFORMANCE.md, "Scenario 4's tail (session 4)".
 */
import { setFlagsFromString } from 'node:v8';

export function tuneV8ForBroker(): void {
  setFlagsFromString('--external-memory-accounted-in-global-limit');
}
