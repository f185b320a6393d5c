import type { NotRun } from '../harness/result';

/** Scenarios of issue 9 this in-process harness does not run, and why. */
export const NOT_RUN: readonly NotRun[] = [
  {
    id: '6',
    title: 'Fan-out (1 channel → 100/500/2,000 loopback subscribers vs bare ws send)',
    reason:
      'needs the built gateway and a client fleet in a separate process; `npx tsx bench/scale-out-fanout.ts` measures fan-out through the gateway (after `npx nx run backend:build`)',
  },
  {
    id: '7',
    title: 'End to end (simulated venue 10k-100k msgs/s → gateway → 500 clients, latency and knee)',
    reason: 'needs the built gateway and a client process; covered by the end-to-end load harness of another issue',
  },
  {
    id: '9',
    title: 'Browser (terminal in headless Chromium, frame time and long tasks)',
    reason:
      'needs the built terminal and Chromium; run `npx tsx bench/terminal-frame-time.ts` after `npx nx run-many -t build -p backend frontend`',
  },
];
