import { Buffer } from 'node:buffer';
import { BinanceDepthBooks } from './binance-depth';
import { type BinanceShutdownNotice, scheduleShutdownNotice, validateShutdownNotice } from './binance-shutdown';
import type { BinanceMarket } from './binance-depth-sync';
import type { ClassifiedFrame, Dialect, DialectSession, RecordedFrameContext, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, isUnsignedInteger, parseJson, quote } from './json';

export { binanceRestError } from './binance-depth';
export type { BinanceMarket } from './binance-depth-sync';
export type { BinanceShutdownNotice } from './binance-shutdown';

/*
 * Binance spot and USD-M futures market streams (binance-spot-api-docs web-socket-streams.md;
 * developers.binance.com USD-M "Websocket Market Streams"):
 * - "Raw streams are accessed at /ws/<streamName>", "Combined streams are accessed at
 *   /stream?streams=<streamName1>/<streamName2>"; "Combined stream events are wrapped as follows:
 *   {"stream":"<streamName>","data":<rawPayload>}".
 * - SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY with an `id`,
 *   answered {"result":null,"id":n}; errors {"error":{"code":..,"msg":".."},"id":n}.
 * - Spot: "The WebSocket server will send a ping frame every 20 seconds. If the websocket server
 *   does not receive a pong frame back from the connection within a minute the connection will be
 *   disconnected." "When you receive a ping, you must send a pong with a copy of ping's payload."
 *   "Unsolicited pong frames are allowed, but will not prevent disconnection."
 *   Futures: ping every 3 minutes, pong within 10 minutes.
 * - "WebSocket connections have a limit of 5 incoming messages per second" (futures: 10) counting
 *   pings, pongs and JSON control messages; "A connection that goes beyond the limit will be
 *   disconnected". Close code 1008 "Too many requests" is reported by client libraries [secondary].
 * - Unknown symbols are not an error: Binance acks the subscription and sends nothing (JKorf/
 *   Binance.Net#620). A malformed stream name gets {"code":2,"msg":"Invalid request: invalid stream"}.
 *
 * VenueFrame.data is the bare event (what a raw /ws connection receives); the envelope is added
 * per connection while `combined` is on. REST depth is answered by `binance-depth.ts` from the
 * exchange's live books, which follow the published depthUpdate events (`observe`).
 */

export interface BinanceDialectOptions {
  /** Default 'spot'. Sets the REST path and the venue's ping and rate limits. */
  readonly market?: BinanceMarket;
  /** Default 20 000 (spot) / 180 000 (usdm). */
  readonly pingIntervalMs?: number;
  /** Close a connection whose latest ping is not answered within this. Default 60 000 / 600 000. */
  readonly pongTimeoutMs?: number;
  /** Incoming messages (text, ping, pong) per second before disconnecting. Default 5 / 10. */
  readonly maxIncomingPerSecond?: number;
  /** Streams per connection. Default 1024. */
  readonly maxStreams?: number;
  /** Send `serverShutdown` on the selected connections, then close them (see binance-shutdown.ts). Default none. */
  readonly serverShutdown?: BinanceShutdownNotice;
}

type SessionSettings = Required<Omit<BinanceDialectOptions, 'serverShutdown'>> &
  Pick<BinanceDialectOptions, 'serverShutdown'>;

const INTERVALS = '1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M';
const STREAM_NAME = new RegExp(
  '^(?:[a-z0-9_]+@(?:aggTrade|trade|bookTicker|miniTicker|ticker|avgPrice|forceOrder|' +
    `ticker_(?:1h|4h|1d)|kline_(?:${INTERVALS})|continuousKline_(?:${INTERVALS})|` +
    'depth(?:5|10|20)?(?:@(?:0|100|250|500|1000)ms)?|markPrice(?:@1s)?|indexPrice(?:@1s)?)' +
    '|!(?:miniTicker|ticker|bookTicker|forceOrder|markPrice)@arr(?:@1s)?|!ticker_(?:1h|4h|1d)@arr|!contractInfo)$',
);
const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'];
const ENVELOPE_PREFIX = '{"stream":"';
const ENVELOPE_MIDDLE = '","data":';

export function binanceDialect(options: BinanceDialectOptions = {}): Dialect {
  const market = options.market ?? 'spot';
  if (options.serverShutdown !== undefined) validateShutdownNotice(options.serverShutdown);
  const settings: SessionSettings = {
    ...(options.serverShutdown === undefined ? {} : { serverShutdown: options.serverShutdown }),
    market,
    pingIntervalMs: options.pingIntervalMs ?? (market === 'spot' ? 20_000 : 180_000),
    pongTimeoutMs: options.pongTimeoutMs ?? (market === 'spot' ? 60_000 : 600_000),
    maxIncomingPerSecond: options.maxIncomingPerSecond ?? (market === 'spot' ? 5 : 10),
    maxStreams: options.maxStreams ?? 1024,
  };
  const depthPath = market === 'spot' ? '/api/v3/depth' : '/fapi/v1/depth';
  const depth = new BinanceDepthBooks(market, depthPath);
  return {
    venue: 'binance',
    classifyRecorded: classifyBinance,
    recordedHttp: (url, entries, now) => (url.pathname === depthPath ? depth.answer(url, entries, now) : undefined),
    learnRecordedHttp: (entries) => {
      depth.learn(entries);
    },
    observe: (frame) => {
      depth.observe(frame);
    },
    acceptsPath: (url) => url.pathname === '/ws' || url.pathname.startsWith('/ws/') || url.pathname === '/stream',
    openSession: (url, io) => new BinanceSession(url, io, settings),
  };
}

/** Splits a recorded frame into stream and bare event, keeping the event's text byte for byte. */
function classifyBinance(text: string, context: RecordedFrameContext): ClassifiedFrame {
  if (text.startsWith(ENVELOPE_PREFIX)) {
    const end = text.indexOf(ENVELOPE_MIDDLE, ENVELOPE_PREFIX.length);
    if (end < 0 || !text.endsWith('}')) return { kind: 'unknown', reason: 'combined frame without data' };
    const stream = text.slice(ENVELOPE_PREFIX.length, end);
    const data = text.slice(end + ENVELOPE_MIDDLE.length, -1);
    // Only accept what re-wraps to the very same text, so replay is byte-identical.
    if (envelope(stream, data) !== text) return { kind: 'unknown', reason: 'envelope not in canonical form' };
    return { kind: 'data', stream, data };
  }
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return { kind: 'unknown', reason: 'not a JSON object' };
  if ('result' in parsed.value || 'error' in parsed.value) return { kind: 'control' };
  // A raw /ws/<stream> connection names its only stream in the URL.
  const raw = context.url === undefined ? undefined : rawStreamOf(context.url);
  if (raw !== undefined) return { kind: 'data', stream: raw, data: text };
  return { kind: 'unknown', reason: 'raw event on a connection that does not name its stream' };
}

function rawStreamOf(url: string): string | undefined {
  try {
    const path = new URL(url).pathname;
    const stream = path.startsWith('/ws/') ? path.slice('/ws/'.length) : '';
    return STREAM_NAME.test(stream) ? stream : undefined;
  } catch {
    return undefined;
  }
}

function envelope(stream: string, data: string): string {
  return ENVELOPE_PREFIX + stream + ENVELOPE_MIDDLE + data + '}';
}

type RequestId = number | string | null;

class BinanceSession implements DialectSession {
  private combined: boolean;
  private readonly initialStreams: readonly string[];
  /** Payloads of pings not yet answered, with when they were sent. */
  private readonly awaitingPong = new Map<string, number>();
  private readonly incoming: number[] = [];
  private pingCounter = 0;

  constructor(
    url: URL,
    private readonly io: SessionIo,
    private readonly settings: SessionSettings,
  ) {
    this.combined = url.pathname === '/stream';
    const named = this.combined
      ? (url.searchParams.get('streams') ?? '').split('/')
      : [decodeURIComponent(url.pathname.slice('/ws/'.length))];
    this.initialStreams = named.filter((stream) => stream !== '');
  }

  open(): void {
    for (const stream of this.initialStreams) {
      // An invalid name in the URL is ignored, as a raw /ws connection with no stream is legal.
      if (STREAM_NAME.test(stream)) this.io.subscribe(stream);
    }
    this.io.timers.interval(this.settings.pingIntervalMs, () => {
      this.sendPing();
    });
    if (this.settings.serverShutdown !== undefined) scheduleShutdownNotice(this.io, this.settings.serverShutdown);
  }

  render(frame: VenueFrame): string {
    return this.combined ? envelope(frame.stream, frame.data) : frame.data;
  }

  pong(payload: Buffer): void {
    if (this.overRate()) return;
    const key = payload.toString('hex');
    const sentAt = this.awaitingPong.get(key);
    if (sentAt === undefined) return; // unsolicited: allowed, but it does not keep the connection
    for (const [pending, at] of this.awaitingPong) if (at <= sentAt) this.awaitingPong.delete(pending);
  }

  clientPing(): void {
    this.overRate();
  }

  message(text: string): void {
    if (this.overRate()) return;
    const parsed = parseJson(text);
    if (!parsed.ok) {
      this.error(3, `Invalid JSON: expected value at line 1 column ${parsed.column}`, null);
      return;
    }
    const request = parsed.value;
    if (!isObject(request)) {
      this.error(2, 'Invalid request: expected a JSON object', null);
      return;
    }
    const id = validId(request['id']);
    if (id === undefined) {
      this.error(2, 'Invalid request: request ID must be an unsigned integer', null);
      return;
    }
    const method = request['method'];
    if (method === undefined) {
      this.error(2, `Invalid request: missing field \`method\` at line 1 column ${text.length}`, id);
      return;
    }
    if (typeof method !== 'string' || !METHODS.includes(method)) {
      const column = text.indexOf(JSON.stringify(method)) + JSON.stringify(method).length;
      this.error(
        2,
        `Invalid request: unknown variant ${JSON.stringify(method)}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, ` +
          `\`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\` at line 1 column ${column}`,
        id,
      );
      return;
    }
    const params = request['params'];
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        this.changeSubscriptions(method, params, id);
        return;
      case 'LIST_SUBSCRIPTIONS':
        this.io.send(`{"result":${JSON.stringify([...this.io.subscriptions])},"id":${JSON.stringify(id)}}`, 'reply');
        return;
      default:
        this.property(method, params, id);
    }
  }

  private changeSubscriptions(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: unknown, id: RequestId): void {
    if (!Array.isArray(params) || !params.every((param): param is string => typeof param === 'string')) {
      this.error(2, 'Invalid request: params must be an array of stream names', id);
      return;
    }
    if (!params.every((stream) => STREAM_NAME.test(stream))) {
      this.error(2, 'Invalid request: invalid stream', id);
      return;
    }
    if (method === 'SUBSCRIBE') {
      const added = params.filter((stream) => !this.io.subscriptions.has(stream));
      if (this.io.subscriptions.size + new Set(added).size > this.settings.maxStreams) {
        this.error(2, 'Invalid request: too many streams', id);
        return;
      }
      for (const stream of params) this.io.subscribe(stream);
    } else {
      for (const stream of params) this.io.unsubscribe(stream);
    }
    this.io.send(`{"result":null,"id":${JSON.stringify(id)}}`, 'reply');
  }

  private property(method: string, params: unknown, id: RequestId): void {
    if (!Array.isArray(params) || typeof params[0] !== 'string') {
      this.error(2, 'Invalid request: property name must be a string', id);
      return;
    }
    if (params[0] !== 'combined') {
      this.io.rejected();
      this.io.send(`{"code":0,"msg":"Unknown property","id":${JSON.stringify(id)}}`, 'reply');
      return;
    }
    if (method === 'GET_PROPERTY') {
      this.io.send(`{"result":${this.combined},"id":${JSON.stringify(id)}}`, 'reply');
      return;
    }
    const value: unknown = params[1];
    if (typeof value !== 'boolean') {
      this.error(1, 'Invalid value type: expected Boolean', id);
      return;
    }
    this.combined = value;
    this.io.send(`{"result":null,"id":${JSON.stringify(id)}}`, 'reply');
  }

  private error(code: number, msg: string, id: RequestId): void {
    this.io.rejected();
    this.io.send(`{"error":{"code":${code},"msg":${quote(msg)}},"id":${JSON.stringify(id)}}`, 'reply');
  }

  private sendPing(): void {
    if (this.io.stalled) return;
    const payload = Buffer.from(String(++this.pingCounter));
    const key = payload.toString('hex');
    this.awaitingPong.set(key, this.io.clock());
    this.io.ping(payload);
    this.io.timers.timeout(this.settings.pongTimeoutMs, () => {
      // A stall is the server's silence, not the client's: only a connection that had the ping
      // and did not answer it is closed.
      if (this.awaitingPong.has(key)) this.io.close(1008, 'Pong timeout');
    });
  }

  /** Counts one incoming message; past the venue's per-second limit the connection is closed. */
  private overRate(): boolean {
    const now = this.io.clock();
    while (this.incoming.length > 0 && (this.incoming[0] ?? now) <= now - 1000) this.incoming.shift();
    this.incoming.push(now);
    if (this.incoming.length <= this.settings.maxIncomingPerSecond) return false;
    this.io.rejected();
    this.io.close(1008, 'Too many requests');
    return true;
  }
}

/** Binance accepts integer, alphanumeric-string (up to 36) and null ids. Undefined means invalid. */
function validId(id: unknown): RequestId | undefined {
  if (id === null || isUnsignedInteger(id)) return id;
  if (typeof id === 'string' && /^[A-Za-z0-9]{1,36}$/.test(id)) return id;
  return undefined;
}
