import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import type { EpochMicros } from '../model/events';
import { MICROS_PER_MILLI } from '../model/time';
import type { FrameSource, VenueFrame } from './frame-source';
import { TimerSet } from './timer-set';

/** 1 = real time, N = N times faster, 'max' = as fast as the sockets drain. */
export type Speed = number | 'max';

export interface TimelineOptions {
  readonly speed: Speed;
  /**
   * Resolves when publishing may go on; the exchange uses it to pause reading the source while a
   * socket is above its high-water mark. Returns undefined when there is no need to wait.
   */
  readonly backpressure: () => Promise<void> | undefined;
  /** At 'max', yield to the event loop after this many frames so sockets and timers run. */
  readonly yieldEvery?: number;
}

/**
 * The exchange's one clock: reads the source once, in order, and publishes each frame when its
 * time comes (`frame.time` scaled by the speed, counted from the first frame). All connections
 * share it, like a venue: a client that was away misses what was published meanwhile.
 */
export class Timeline {
  private readonly timers = new TimerSet();
  private iterator: AsyncIterator<VenueFrame> | undefined;
  private running = false;
  private stopped = false;
  private firstTime: EpochMicros | undefined;
  private startWall = 0;
  private lastTime: EpochMicros | undefined;
  private published = 0;
  private wakeSleeper: (() => void) | undefined;
  private priming: Promise<void> | undefined;
  private primed: IteratorResult<VenueFrame> | undefined;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;
  private state: 'idle' | 'running' | 'finished' | 'failed' | 'stopped' = 'idle';

  constructor(
    private readonly source: FrameSource,
    private readonly publish: (frame: VenueFrame) => void,
    private readonly options: TimelineOptions,
  ) {
    if (options.speed !== 'max' && !(options.speed > 0 && Number.isFinite(options.speed))) {
      throw new RangeError(`speed must be a positive finite number or 'max', got ${String(options.speed)}`);
    }
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // A failure is reported through `finished`; nobody awaiting it must not crash the process.
    this.done.catch(() => undefined);
  }

  /**
   * Reads the first frame ahead, so that before the start the exchange already sits at the
   * beginning of its series: `now()` is the first frame's time (REST answers and heartbeat times
   * depend on it). Idempotent; start() primes if this was not called.
   */
  prime(): Promise<void> {
    this.priming ??= (async () => {
      const iterator = this.source.frames()[Symbol.asyncIterator]();
      this.iterator = iterator;
      const first = await iterator.next();
      this.primed = first;
      if (first.done !== true) this.firstTime = first.value.time;
    })();
    return this.priming;
  }

  /** Starts publishing; later calls do nothing. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.state = 'running';
    void this.run();
  }

  get started(): boolean {
    return this.running;
  }

  get status(): 'idle' | 'running' | 'finished' | 'failed' | 'stopped' {
    return this.state;
  }

  /** Resolves when the source is exhausted (never for an endless source); rejects if it fails. */
  get finished(): Promise<void> {
    return this.done;
  }

  get framesPublished(): number {
    return this.published;
  }

  /**
   * The exchange's position in source time: between frames at a finite speed it advances with the
   * wall clock; at 'max' it is the time of the last published frame. Before the start it is the
   * first frame's time once primed, else 0 ("before everything").
   */
  now(): EpochMicros {
    if (this.firstTime === undefined) return 0;
    const last = this.lastTime ?? this.firstTime;
    if (this.options.speed === 'max' || this.state !== 'running' || this.lastTime === undefined) return last;
    const elapsed = (performance.now() - this.startWall) * MICROS_PER_MILLI * this.options.speed;
    return Math.max(last, Math.floor(this.firstTime + elapsed));
  }

  /** Stops reading the source and clears timers. */
  async stop(): Promise<void> {
    if (this.isStopped()) return;
    this.stopped = true;
    if (this.state === 'running' || this.state === 'idle') this.state = 'stopped';
    this.timers.clear();
    this.wakeSleeper?.();
    const iterator = this.iterator;
    this.iterator = undefined;
    try {
      await iterator?.return?.();
    } catch {
      // The source failing while it is closed changes nothing for a stopped exchange.
    }
    this.resolveDone();
  }

  private async run(): Promise<void> {
    try {
      await this.prime();
      const iterator = this.iterator;
      if (iterator === undefined || this.isStopped()) return;
      this.startWall = performance.now();
      let sinceYield = 0;
      const yieldEvery = this.options.yieldEvery ?? 64;
      for (;;) {
        const next = this.primed ?? (await iterator.next());
        this.primed = undefined;
        if (this.isStopped()) return;
        if (next.done === true) break;
        const frame = next.value;
        this.firstTime ??= frame.time;
        if (this.options.speed === 'max') {
          if (++sinceYield >= yieldEvery) {
            sinceYield = 0;
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        } else {
          const due = this.startWall + (frame.time - this.firstTime) / MICROS_PER_MILLI / this.options.speed;
          await this.sleepUntil(due);
        }
        if (this.isStopped()) return;
        await this.waitForDrain();
        if (this.isStopped()) return;
        this.lastTime = Math.max(frame.time, this.lastTime ?? frame.time);
        this.published++;
        this.publish(frame);
      }
      this.state = 'finished';
      this.iterator = undefined;
      this.resolveDone();
    } catch (error) {
      this.state = 'failed';
      this.iterator = undefined;
      this.rejectDone(error);
    }
  }

  /** Read through a method: `stop()` flips the flag while `run()` awaits, which narrowing cannot see. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private async waitForDrain(): Promise<void> {
    for (let wait = this.options.backpressure(); wait !== undefined; wait = this.options.backpressure()) {
      await wait;
      if (this.isStopped()) return;
    }
  }

  private async sleepUntil(due: number): Promise<void> {
    const delay = due - performance.now();
    // Timers have millisecond granularity; frames due within it go out now, keeping the order.
    if (delay < 1) return;
    await new Promise<void>((resolve) => {
      this.wakeSleeper = resolve;
      this.timers.timeout(delay, resolve);
    });
    this.wakeSleeper = undefined;
  }
}
