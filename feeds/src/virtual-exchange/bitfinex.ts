import { BitfinexBooks } from './bitfinex-book';
import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, isUnsignedInteger, parseJson, quote, type JsonObject } from './json';
import { MICROS_PER_MILLI } from '../model/time';
import { StreamCatalog } from './stream-catalog';

/*
 * Bitfinex WebSocket v2 (wss://api-pub.bitfinex.com/ws/2; docs.bitfinex.com/docs/ws-general):
 * - "Right after connecting you will receive an info message that contains the actual version of
 *   the websocket stream, along with a platform status flag".
 * - {"event":"subscribe","channel":"book","symbol":"tBTCUSD",...} -> {"event":"subscribed",
 *   "channel":..,"chanId":..,...}; data frames are [chanId, ...].
 * - Error codes: 10000 Unknown event, 10001 Unknown pair; subscriptions 10300 generic failure,
 *   10301 already subscribed, 10302 unknown channel.
 * - Heartbeat: with no activity on a channel for 15 seconds the server sends [chanId,"hb"].
 * - {"event":"conf","flags":65536} turns on SEQ_ALL: every channel message, heartbeats included,
 *   ends with a connection-wide sequence number. {"event":"ping","cid":n} -> {"event":"pong","ts":..,"cid":n}.
 *
 * Stream key: "<channel>:<symbol>", e.g. "book:tBFTUSD". VenueFrame.data is the frame without the
 * recorded SEQ_ALL number: the number belongs to a connection, so each session appends its own
 * when it enabled SEQ_ALL (a dropped frame still uses one up, so drops show as gaps).
 * A book subscription made after the stream's recorded snapshot has gone by gets, after its
 * "subscribed" event, a snapshot of the exchange's current book (`bitfinex-book.ts`), numbered
 * like any other channel message when SEQ_ALL is on.
 */

export interface BitfinexDialectOptions {
  /** Idle time per channel before [chanId,"hb"]. Default 15 000 ms. */
  readonly heartbeatIntervalMs?: number;
}

export const SEQ_ALL = 65536;

interface BitfinexStream {
  readonly chanId: number;
  readonly channel: string;
  readonly symbol: string;
  /** The recorded "subscribed" event, replayed byte for byte. */
  readonly subscribed: string | undefined;
  /** Book parameters of the recorded subscription (prec, freq, len) as strings. */
  readonly params: Readonly<Record<string, string>>;
}

const CHANNELS = ['book', 'trades', 'ticker', 'candles', 'status'];
const BOOK_PARAMS = ['prec', 'freq', 'len'];
const DEFAULT_INFO = '{"event":"info","version":2,"serverId":"virtual-exchange","platform":{"status":1}}';
/** "len: Number of price points ("1", "25", "100", "250") [default: "25"]". */
const DEFAULT_BOOK_LEN = '25';

export function bitfinexDialect(options: BitfinexDialectOptions = {}): Dialect {
  const state = new BitfinexState();
  const heartbeatMs = options.heartbeatIntervalMs ?? 15_000;
  return {
    venue: 'bitfinex',
    classifyRecorded: (text) => state.classify(text),
    acceptsPath: (url) => url.pathname === '/ws/2',
    openSession: (_url, io) => new BitfinexSession(io, state, heartbeatMs),
    observe: (frame) => {
      state.books.observe(frame);
    },
  };
}

class BitfinexState {
  readonly catalog = new StreamCatalog<BitfinexStream>();
  readonly byChanId = new Map<number, string>();
  readonly books = new BitfinexBooks((stream) => {
    const known = this.catalog.get(stream);
    return known?.channel === 'book' && known.params['prec'] !== 'R0';
  });
  info = DEFAULT_INFO;
  private learnedInfo = false;
  private recordedSeqAll = false;
  private nextChanId = 1;

  classify(text: string): ClassifiedFrame {
    this.catalog.markRecorded();
    const parsed = parseJson(text);
    if (!parsed.ok) return { kind: 'unknown', reason: 'not JSON' };
    const value = parsed.value;
    if (Array.isArray(value)) return this.classifyChannelFrame(text, value as unknown[]);
    if (!isObject(value) || typeof value['event'] !== 'string')
      return { kind: 'unknown', reason: 'object without event' };
    switch (value['event']) {
      case 'info':
        if (!this.learnedInfo && value['version'] !== undefined) {
          this.info = text;
          this.learnedInfo = true;
        }
        break;
      case 'conf':
        if (typeof value['flags'] === 'number') this.recordedSeqAll = (value['flags'] & SEQ_ALL) !== 0;
        break;
      case 'subscribed':
        this.learnSubscribed(text, value);
        break;
    }
    return { kind: 'control' };
  }

  stream(channel: string, symbol: string): BitfinexStream {
    const key = `${channel}:${symbol}`;
    const known = this.catalog.get(key);
    if (known !== undefined) return known;
    const created: BitfinexStream = { chanId: this.nextChanId, channel, symbol, subscribed: undefined, params: {} };
    this.remember(key, created);
    return created;
  }

  private classifyChannelFrame(text: string, frame: unknown[]): ClassifiedFrame {
    const chanId = frame[0];
    if (!isUnsignedInteger(chanId)) return { kind: 'unknown', reason: 'array frame without a chanId' };
    if (frame[1] === 'hb') return { kind: 'control' };
    const stream = this.byChanId.get(chanId);
    if (stream === undefined) return { kind: 'unknown', reason: `chanId ${chanId} was never subscribed` };
    if (!this.recordedSeqAll) return { kind: 'data', stream, data: text };
    const withoutSeq = /^(.*),\d+\]$/s.exec(text);
    if (withoutSeq?.[1] === undefined) return { kind: 'unknown', reason: 'SEQ_ALL frame without a sequence number' };
    return { kind: 'data', stream, data: `${withoutSeq[1]}]` };
  }

  private learnSubscribed(text: string, event: JsonObject): void {
    const { chanId, channel, symbol } = event;
    if (!isUnsignedInteger(chanId) || typeof channel !== 'string' || typeof symbol !== 'string') return;
    const params: Record<string, string> = {};
    for (const key of BOOK_PARAMS) {
      const param = event[key];
      if (typeof param === 'string' || typeof param === 'number') params[key] = String(param);
    }
    this.remember(`${channel}:${symbol}`, { chanId, channel, symbol, subscribed: text, params });
  }

  private remember(key: string, stream: BitfinexStream): void {
    this.catalog.set(key, stream);
    this.byChanId.set(stream.chanId, key);
    this.nextChanId = Math.max(this.nextChanId, stream.chanId + 1);
  }
}

class BitfinexSession implements DialectSession {
  private seqAll = false;
  private seq = 0;
  /** Subscribed chanIds with the monotonic time of their last message. */
  private readonly channels = new Map<number, { stream: string; lastAt: number }>();

  constructor(
    private readonly io: SessionIo,
    private readonly state: BitfinexState,
    private readonly heartbeatMs: number,
  ) {}

  open(): void {
    this.io.send(this.state.info, 'reply');
    this.io.timers.interval(Math.max(1, this.heartbeatMs / 4), () => {
      this.heartbeats();
    });
  }

  render(frame: VenueFrame): string | undefined {
    const stream = this.state.catalog.get(frame.stream);
    const channel = stream === undefined ? undefined : this.channels.get(stream.chanId);
    if (channel === undefined) return undefined;
    channel.lastAt = this.io.clock();
    return this.seqAll ? `${frame.data.slice(0, -1)},${++this.seq}]` : frame.data;
  }

  message(text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.error('Unknown event', 10000, '');
      return;
    }
    const request = parsed.value;
    switch (request['event']) {
      case 'conf': {
        const flags = isUnsignedInteger(request['flags']) ? request['flags'] : 0;
        this.seqAll = (flags & SEQ_ALL) !== 0;
        this.io.send(`{"event":"conf","status":"OK","flags":${flags}}`, 'reply');
        return;
      }
      case 'ping': {
        const cid = isUnsignedInteger(request['cid']) ? `,"cid":${request['cid']}` : '';
        this.io.send(`{"event":"pong","ts":${Math.floor(this.io.now() / MICROS_PER_MILLI)}${cid}}`, 'reply');
        return;
      }
      case 'subscribe':
        this.subscribe(request);
        return;
      case 'unsubscribe':
        this.unsubscribe(request);
        return;
      default:
        this.error('Unknown event', 10000, '');
    }
  }

  private subscribe(request: JsonObject): void {
    const channel = request['channel'];
    const pair = request['pair'];
    const symbol =
      typeof request['symbol'] === 'string' ? request['symbol'] : typeof pair === 'string' ? `t${pair}` : undefined;
    const context = `,"channel":${JSON.stringify(channel ?? null)},"symbol":${JSON.stringify(symbol ?? null)}`;
    if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
      this.error('channel: unknown', 10302, context);
      return;
    }
    const key = symbol === undefined ? undefined : `${channel}:${symbol}`;
    if (symbol === undefined || key === undefined || !this.state.catalog.offers(key)) {
      this.error('symbol: invalid', 10300, context);
      return;
    }
    const stream = this.state.stream(channel, symbol);
    for (const param of BOOK_PARAMS) {
      const wanted = request[param];
      const recorded = stream.params[param];
      if (recorded === undefined || wanted === undefined) continue;
      if ((typeof wanted !== 'string' && typeof wanted !== 'number') || String(wanted) !== recorded) {
        this.error(
          `subscribe: ${param} ${JSON.stringify(wanted)} is not in this recording (${recorded})`,
          10300,
          context,
        );
        return;
      }
    }
    if (this.channels.has(stream.chanId)) {
      this.error('subscribe: dup', 10301, context);
      return;
    }
    this.channels.set(stream.chanId, { stream: key, lastAt: this.io.clock() });
    this.io.subscribe(key);
    this.io.send(
      stream.subscribed ??
        `{"event":"subscribed","channel":${quote(channel)},"chanId":${stream.chanId},"symbol":${quote(symbol)}}`,
      'reply',
    );
    if (channel === 'book') this.sendSnapshot(key, stream.chanId, bookLen(stream.params['len'] ?? request['len']));
  }

  /** A fresh snapshot for a subscriber that came after the recorded one went by. */
  private sendSnapshot(stream: string, chanId: number, len: number): void {
    const snapshot = this.state.books.snapshot(stream, chanId, len);
    if (snapshot === undefined) return;
    this.io.sendData(stream, snapshot, this.seqAll ? `${snapshot.slice(0, -1)},${++this.seq}]` : snapshot);
  }

  private unsubscribe(request: JsonObject): void {
    const chanId = request['chanId'];
    const channel = isUnsignedInteger(chanId) ? this.channels.get(chanId) : undefined;
    if (channel === undefined || !isUnsignedInteger(chanId)) {
      this.error('unsubscribe: invalid', 10400, `,"chanId":${JSON.stringify(chanId ?? null)}`);
      return;
    }
    this.channels.delete(chanId);
    this.io.unsubscribe(channel.stream);
    this.io.send(`{"event":"unsubscribed","status":"OK","chanId":${chanId}}`, 'reply');
  }

  private heartbeats(): void {
    if (this.io.stalled) return;
    const now = this.io.clock();
    for (const [chanId, channel] of this.channels) {
      if (now - channel.lastAt < this.heartbeatMs) continue;
      channel.lastAt = now;
      this.io.send(this.seqAll ? `[${chanId},"hb",${++this.seq}]` : `[${chanId},"hb"]`, 'keepalive');
    }
  }

  private error(msg: string, code: number, context: string): void {
    this.io.rejected();
    this.io.send(`{"event":"error","msg":${quote(msg)},"code":${code}${context}}`, 'reply');
  }
}

/** The subscription's `len` as a number of levels a side. */
function bookLen(len: unknown): number {
  const text = typeof len === 'string' || typeof len === 'number' ? String(len) : DEFAULT_BOOK_LEN;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : Number(DEFAULT_BOOK_LEN);
}
