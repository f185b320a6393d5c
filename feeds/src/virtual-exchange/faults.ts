import type { TimerSet } from './timer-set';

/*
 * Fault injection, as a small declarative list applied here and nowhere else: the connection asks
 * `ConnectionFaults` what to do with each data frame and lets it schedule closes and stalls; the
 * exchange runs the periodic `closeEvery`. Dialects only supply `corruptChecksum`, since where a
 * checksum sits is venue knowledge.
 */

/** A data frame about to be sent to one connection, as fault predicates see it. */
export interface FaultFrame {
  readonly connectionId: number;
  /** 0-based index among the data frames of this connection (drops and duplicates included). */
  readonly index: number;
  readonly stream: string;
  /** The frame's data as the source published it. */
  readonly data: string;
  /** The text this connection receives for it (e.g. inside Binance's combined envelope). */
  readonly text: string;
}

export interface ConnectionInfo {
  readonly id: number;
  readonly url: string;
}

/** Which connections a fault applies to: an id, a list of ids, or a predicate. Default: all. */
export type ConnectionSelector = number | readonly number[] | ((connection: ConnectionInfo) => boolean);

interface FrameFaultBase {
  /** Frames it applies to; combined with `index` when both are given. */
  readonly match?: (frame: FaultFrame) => boolean;
  /** The frame with this per-connection index. */
  readonly index?: number;
  /** How many matching frames of each selected connection it changes. Default 1; `Infinity` for all. */
  readonly count?: number;
  readonly connections?: ConnectionSelector;
}

/** The frame is never sent (a sequence gap; Bitfinex's SEQ_ALL number is still used up). */
export interface DropFault extends FrameFaultBase {
  readonly kind: 'drop';
}

/** The frame is sent twice in a row. */
export interface DuplicateFault extends FrameFaultBase {
  readonly kind: 'duplicate';
}

/** The frame's checksum field (Kraken v1 "c", OKX "checksum") gets another value; frames without one pass. */
export interface CorruptChecksumFault extends FrameFaultBase {
  readonly kind: 'corruptChecksum';
}

/**
 * The frame is held back and sent right after the next data frame of the same connection, so the
 * client sees the two swapped. If that next frame is dropped, the held one goes out in its place;
 * if no frame follows within `maxHoldMs` (default 1000), it goes out then.
 */
export interface ReorderFault extends FrameFaultBase {
  readonly kind: 'reorder';
  readonly maxHoldMs?: number;
}

/** The frame is sent `ms` later; frames behind it wait, as on one TCP stream. */
export interface DelayFault extends FrameFaultBase {
  readonly kind: 'delay';
  readonly ms: number;
}

interface CloseBase {
  /** WebSocket close code (default 1000); ignored with `terminate`. */
  readonly code?: number;
  readonly reason?: string;
  /** Destroy the socket without a close frame (the client sees 1006). */
  readonly terminate?: boolean;
  readonly connections?: ConnectionSelector;
}

/** Closes each selected connection `after` ms after it opened, or once it was sent `afterFrames` data frames. */
export interface CloseAtFault extends CloseBase {
  readonly kind: 'closeAt';
  readonly after?: number;
  readonly afterFrames?: number;
}

/** Every `every` ms (from the exchange's listen), closes every selected open connection. */
export interface CloseEveryFault extends CloseBase {
  readonly kind: 'closeEvery';
  readonly every: number;
}

/**
 * From `after` ms after opening (or after `afterFrames` data frames) the connection goes silent
 * for `duration` ms: no data, no replies, no pings or heartbeats. Held frames then go out in order,
 * or with `discard` the data frames of the stall are lost.
 */
export interface StallFault {
  readonly kind: 'stall';
  readonly after?: number;
  readonly afterFrames?: number;
  readonly duration: number;
  readonly discard?: boolean;
  readonly connections?: ConnectionSelector;
}

/**
 * From `after` ms after opening (or after `afterFrames` data frames) the connection is half-open:
 * the exchange writes nothing any more (no data, replies, keepalives or pings of its own), answers
 * neither WebSocket ping frames (no pong) nor the venue's text pings, and keeps the TCP connection
 * open, as a peer that vanished behind a NAT or a dead load balancer would. Only the client ends
 * it; what was queued is lost.
 */
export interface HalfOpenFault {
  readonly kind: 'halfOpen';
  readonly after?: number;
  readonly afterFrames?: number;
  readonly connections?: ConnectionSelector;
}

export type FaultSpec =
  | DropFault
  | DuplicateFault
  | ReorderFault
  | CorruptChecksumFault
  | DelayFault
  | CloseAtFault
  | CloseEveryFault
  | StallFault
  | HalfOpenFault;

export type FaultKind = FaultSpec['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'drop',
  'duplicate',
  'reorder',
  'corruptChecksum',
  'delay',
  'closeAt',
  'closeEvery',
  'stall',
  'halfOpen',
];

/** One frame to queue, as the faults decided (a duplicate is two of them). */
export interface FrameOut {
  readonly stream: string;
  readonly text: string;
  readonly delayMs: number;
}

/** The connection operations faults use. */
export interface FaultTarget {
  readonly info: ConnectionInfo;
  /** Queues a frame a fault held back (a `reorder` hold that timed out). */
  emit(out: FrameOut): void;
  close(code: number, reason: string): void;
  terminate(): void;
  stall(durationMs: number, discard: boolean): void;
  /** Goes silent for good, pongs included, with the socket left open (see HalfOpenFault). */
  halfOpen(): void;
}

export type FaultCounter = (kind: FaultKind) => void;

/** Throws RangeError for a fault that cannot work (missing trigger, negative time, bad close code). */
export function validateFault(spec: FaultSpec): void {
  const fail = (why: string): never => {
    throw new RangeError(`fault ${spec.kind}: ${why}`);
  };
  const nonNegative = (value: number | undefined, name: string): void => {
    if (value !== undefined && !(value >= 0)) fail(`${name} must be >= 0`);
  };
  switch (spec.kind) {
    case 'drop':
    case 'duplicate':
    case 'reorder':
    case 'corruptChecksum':
    case 'delay':
      nonNegative(spec.index, 'index');
      if (spec.count !== undefined && !(spec.count >= 1)) fail('count must be >= 1');
      if (spec.kind === 'delay' && !(spec.ms >= 0 && Number.isFinite(spec.ms))) fail('ms must be a finite number >= 0');
      if (
        spec.kind === 'reorder' &&
        spec.maxHoldMs !== undefined &&
        !(spec.maxHoldMs > 0 && Number.isFinite(spec.maxHoldMs))
      )
        fail('maxHoldMs must be a finite number > 0');
      return;
    case 'closeAt':
    case 'stall':
    case 'halfOpen':
      if ((spec.after === undefined) === (spec.afterFrames === undefined))
        fail('give exactly one of after, afterFrames');
      nonNegative(spec.after, 'after');
      nonNegative(spec.afterFrames, 'afterFrames');
      if (spec.kind === 'stall' && !(spec.duration > 0 && Number.isFinite(spec.duration))) fail('duration must be > 0');
      if (spec.kind === 'closeAt') validateCloseCode(spec, fail);
      return;
    case 'closeEvery':
      if (!(spec.every > 0 && Number.isFinite(spec.every))) fail('every must be > 0');
      validateCloseCode(spec, fail);
      return;
  }
}

function validateCloseCode(spec: CloseBase, fail: (why: string) => never): void {
  const code = spec.code;
  // Codes a server may put in a close frame (RFC 6455 section 7.4); 1005/1006/1015 are reserved.
  if (
    code !== undefined &&
    !((code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999))
  ) {
    fail(`close code ${code} cannot be sent`);
  }
}

export function selects(selector: ConnectionSelector | undefined, connection: ConnectionInfo): boolean {
  if (selector === undefined) return true;
  if (typeof selector === 'number') return selector === connection.id;
  if (typeof selector === 'function') return selector(connection);
  return selector.includes(connection.id);
}

type FrameFault = DropFault | DuplicateFault | ReorderFault | CorruptChecksumFault | DelayFault;
type TriggeredFault = CloseAtFault | StallFault | HalfOpenFault;

const FRAME_FAULT_KINDS: readonly FaultKind[] = ['drop', 'duplicate', 'reorder', 'corruptChecksum', 'delay'];

function isFrameFault(spec: FaultSpec): spec is FrameFault {
  return FRAME_FAULT_KINDS.includes(spec.kind);
}

const DEFAULT_MAX_HOLD_MS = 1000;

/** Frames a `reorder` fault holds until the next frame of the connection. */
interface Held {
  readonly outs: readonly FrameOut[];
  readonly timer: ReturnType<TimerSet['timeout']>;
}

/** The faults of one connection. */
export class ConnectionFaults {
  private readonly remaining = new Map<FrameFault, number>();
  private readonly frameFaults: FrameFault[] = [];
  private readonly frameTriggers: TriggeredFault[] = [];
  /** Time-triggered faults added before the connection opened. */
  private readonly pendingTimed: TriggeredFault[] = [];
  private opened = false;
  private framesSent = 0;
  private held: Held | undefined;

  constructor(
    private readonly target: FaultTarget,
    private readonly timers: TimerSet,
    private readonly counted: FaultCounter,
    private readonly corruptChecksum: (text: string) => string | undefined,
    /** Monotonic ms when the connection opened: `after` counts from it. */
    private readonly openedAt: number,
    private readonly clock: () => number,
  ) {}

  /** Adds faults; those not selecting this connection (or periodic ones) are ignored. */
  add(specs: readonly FaultSpec[]): void {
    for (const spec of specs) {
      if (spec.kind === 'closeEvery' || !selects(spec.connections, this.target.info)) continue;
      if (isFrameFault(spec)) {
        this.frameFaults.push(spec);
        this.remaining.set(spec, spec.count ?? 1);
      } else if (spec.afterFrames !== undefined) {
        this.frameTriggers.push(spec);
      } else if (this.opened) {
        this.schedule(spec, spec.after ?? 0);
      } else {
        this.pendingTimed.push(spec);
      }
    }
  }

  /** The connection is open: time triggers start counting. */
  open(): void {
    this.opened = true;
    for (const spec of this.pendingTimed.splice(0)) this.schedule(spec, spec.after ?? 0);
  }

  /**
   * Decides the fate of one data frame: the frames to queue now, in order. Empty when the frame is
   * dropped or held by `reorder`; a frame held before this one follows it.
   */
  onFrame(frame: FaultFrame): readonly FrameOut[] {
    for (const spec of this.frameFaults) {
      if (spec.kind === 'drop' && this.take(spec, frame)) {
        this.counted('drop');
        return this.release();
      }
    }
    const outs = this.alter(frame);
    if (this.held !== undefined) return [...outs, ...this.release()];
    const reorder = this.frameFaults.find(
      (spec): spec is ReorderFault => spec.kind === 'reorder' && this.applies(spec, frame),
    );
    if (reorder === undefined) return outs;
    this.consume(reorder);
    this.counted('reorder');
    const timer = this.timers.timeout(reorder.maxHoldMs ?? DEFAULT_MAX_HOLD_MS, () => {
      for (const out of this.release()) this.target.emit(out);
    });
    this.held = { outs, timer };
    return [];
  }

  /** The held frames (none when nothing is held), no longer held. */
  private release(): readonly FrameOut[] {
    const held = this.held;
    if (held === undefined) return [];
    this.held = undefined;
    this.timers.cancel(held.timer);
    return held.outs;
  }

  /** Applies the faults that change how a frame is sent: duplicate, delay, corruptChecksum. */
  private alter(frame: FaultFrame): FrameOut[] {
    let text = frame.text;
    let copies = 1;
    let delayMs = 0;
    for (const spec of this.frameFaults) {
      switch (spec.kind) {
        case 'drop':
        case 'reorder':
          break;
        case 'duplicate':
          if (this.take(spec, frame)) {
            copies = 2;
            this.counted('duplicate');
          }
          break;
        case 'delay':
          if (this.take(spec, frame)) {
            delayMs = Math.max(delayMs, spec.ms);
            this.counted('delay');
          }
          break;
        case 'corruptChecksum': {
          if (!this.applies(spec, frame)) break;
          const corrupted = this.corruptChecksum(text);
          // A frame without a checksum does not use up the fault: the next one that has one gets it.
          if (corrupted === undefined) break;
          this.consume(spec);
          text = corrupted;
          this.counted('corruptChecksum');
          break;
        }
      }
    }
    const out: FrameOut = { stream: frame.stream, text, delayMs };
    return copies === 2 ? [out, out] : [out];
  }

  /** Called after each data frame was handed to the connection (dropped ones included). */
  frameDone(): void {
    this.framesSent++;
    for (let i = 0; i < this.frameTriggers.length; i++) {
      const spec = this.frameTriggers[i];
      if (spec?.afterFrames === undefined || this.framesSent < spec.afterFrames) continue;
      this.frameTriggers.splice(i--, 1);
      this.fire(spec);
    }
  }

  private applies(spec: FrameFault, frame: FaultFrame): boolean {
    if ((this.remaining.get(spec) ?? 0) <= 0) return false;
    if (spec.index !== undefined && spec.index !== frame.index) return false;
    return spec.match === undefined || spec.match(frame);
  }

  private consume(spec: FrameFault): void {
    this.remaining.set(spec, (this.remaining.get(spec) ?? 0) - 1);
  }

  private take(spec: FrameFault, frame: FaultFrame): boolean {
    if (!this.applies(spec, frame)) return false;
    this.consume(spec);
    return true;
  }

  private schedule(spec: TriggeredFault, after: number): void {
    const wait = this.openedAt + after - this.clock();
    if (wait <= 0) this.fire(spec);
    else
      this.timers.timeout(wait, () => {
        this.fire(spec);
      });
  }

  private fire(spec: TriggeredFault): void {
    this.counted(spec.kind);
    if (spec.kind === 'stall') this.target.stall(spec.duration, spec.discard ?? false);
    else if (spec.kind === 'halfOpen') this.target.halfOpen();
    else applyClose(this.target, spec);
  }
}

export function applyClose(target: FaultTarget, spec: CloseBase): void {
  if (spec.terminate === true) target.terminate();
  else target.close(spec.code ?? 1000, spec.reason ?? '');
}

/** The exchange-wide periodic faults (`closeEvery`). */
export class ExchangeFaults {
  constructor(
    private readonly timers: TimerSet,
    private readonly targets: () => Iterable<FaultTarget>,
    private readonly counted: FaultCounter,
  ) {}

  add(specs: readonly FaultSpec[]): void {
    for (const spec of specs) {
      if (spec.kind !== 'closeEvery') continue;
      this.timers.interval(spec.every, () => {
        for (const target of [...this.targets()]) {
          if (!selects(spec.connections, target.info)) continue;
          this.counted('closeEvery');
          applyClose(target, spec);
        }
      });
    }
  }
}
