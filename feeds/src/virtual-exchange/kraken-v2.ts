import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, isStringArray, isUnsignedInteger, parseJson, quote, type JsonObject } from './json';
import { KrakenV2Books, KrakenV2Encoder, microsToRfc3339 } from './kraken-v2-book';
import { StreamCatalog } from './stream-catalog';

/*
 * Kraken spot WebSocket v2 (wss://ws.kraken.com/v2; docs.kraken.com/api/docs/websocket-v2), served
 * from the v1 capture (no v2 capture exists): each recorded v1 book frame is re-encoded as the v2
 * message with the same levels (kraken-v2-book.ts).
 * - Endpoint `/v2`. On connect the venue sends the status channel:
 *   {"channel":"status","data":[{"api_version":"v2","connection_id":..,"system":"online","version":"2.0.0"}],"type":"update"}
 *   (connection_id is the recorded v1 connectionID, above 2^53).
 * - Subscribe {"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":n}
 *   is answered per symbol: {"method":"subscribe","req_id":n,"result":{"channel":"book","depth":10,
 *   "snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":..,"time_out":..}. Book depth:
 *   10, 25, 100, 500 or 1000 (default 10). Failures: {"error":"Currency pair not supported X/Y",
 *   "method":"subscribe","req_id":n,"success":false,"symbol":"X/Y","time_in":..,"time_out":..}.
 * - Book data {"channel":"book","type":"snapshot"|"update","data":[{"symbol","bids":[{"price","qty"}],
 *   "asks":[..],"checksum",("timestamp")}]}; the checksum (CRC32 of the top 10) is on both types.
 * - "Heartbeat messages are sent approximately once every second in the absence of any other channel
 *   updates": {"channel":"heartbeat"}, only to connections with a subscription (as v1).
 * - {"method":"ping","req_id":n} → {"method":"pong","req_id":n,"time_in":..,"time_out":..}.
 *
 * Stream key: "book-<depth>:<symbol>" with the v2 symbol, e.g. "book-1000:BTC/USD". The capture has
 * depth 1000 only: another depth is refused ("Subscription depth not supported", as v1 words it),
 * rather than served an empty or a wrongly cut book. A subscription made after the recorded snapshot
 * went by gets, after its ack, a snapshot of the exchange's current book.
 * Texts of ours (the venue documents none): "Malformed request" for a request that is not a JSON
 * object or lacks params, "Method not supported", "Channel not supported in this recording",
 * "Already subscribed", "Subscription Not Found" (the last two as v1 words them).
 */

export interface KrakenV2DialectOptions {
  /** Idle time before a heartbeat. Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
}

/** The v2 dialect, with what re-encoding the capture found. */
export interface KrakenV2Dialect extends Dialect {
  /** Recorded v1 "c" checksums that differ from the checksum of the dialect's book (none expected). */
  readonly checksumDisagreements: number;
  /** Recorded v1 "c" checksums compared with the dialect's book. */
  readonly checksumsCompared: number;
}

const DEPTHS = [10, 25, 100, 500, 1000];
const DEFAULT_CONNECTION_ID = '1';

export function krakenV2Dialect(options: KrakenV2DialectOptions = {}): KrakenV2Dialect {
  const state = new KrakenV2State();
  const heartbeatMs = options.heartbeatIntervalMs ?? 1000;
  return {
    venue: 'kraken',
    classifyRecorded: (text) => state.classify(text),
    acceptsPath: (url) => url.pathname === '/v2',
    openSession: (_url, io) => new KrakenV2Session(io, state, heartbeatMs),
    observe: (frame: VenueFrame) => {
      state.books.observe(frame);
    },
    corruptChecksum: (text) => {
      const match = /"checksum":(\d+)/.exec(text);
      if (match?.[1] === undefined) return undefined;
      const changed = String((Number(match[1]) + 1) % 2 ** 32);
      return text.slice(0, match.index) + `"checksum":${changed}` + text.slice(match.index + match[0].length);
    },
    get checksumDisagreements() {
      return state.encoder.checksumDisagreements;
    },
    get checksumsCompared() {
      return state.encoder.checksumsCompared;
    },
  };
}

class KrakenV2State {
  readonly catalog = new StreamCatalog<true>();
  readonly encoder = new KrakenV2Encoder();
  readonly books = new KrakenV2Books();
  connectionId = DEFAULT_CONNECTION_ID;
  private learnedStatus = false;

  classify(text: string): ClassifiedFrame {
    this.catalog.markRecorded();
    const parsed = parseJson(text);
    if (!parsed.ok) return { kind: 'unknown', reason: 'not JSON' };
    const value = parsed.value;
    if (Array.isArray(value)) {
      if (value.length < 4)
        return { kind: 'unknown', reason: 'array frame without [channelID, ..., channelName, pair]' };
      const encoded = this.encoder.encode(value as unknown[]);
      if (encoded.kind === 'data') this.catalog.set(encoded.stream, true);
      return encoded;
    }
    if (!isObject(value)) return { kind: 'unknown', reason: 'neither array nor object' };
    if (value['event'] === 'systemStatus' && !this.learnedStatus) {
      // From the text: the connectionID exceeds 2^53.
      const id = /"connectionID":(\d+)/.exec(text)?.[1];
      if (id !== undefined) this.connectionId = id;
      this.learnedStatus = true;
    }
    return typeof value['event'] === 'string'
      ? { kind: 'control' }
      : { kind: 'unknown', reason: 'object without event' };
  }
}

/** The request fields every reply repeats: method and req_id. */
interface RequestEcho {
  readonly method: string;
  /** `"req_id":n,` or empty. */
  readonly reqIdField: string;
}

class KrakenV2Session implements DialectSession {
  constructor(
    private readonly io: SessionIo,
    private readonly state: KrakenV2State,
    private readonly heartbeatMs: number,
  ) {}

  open(): void {
    this.io.send(
      `{"channel":"status","data":[{"api_version":"v2","connection_id":${this.state.connectionId},` +
        `"system":"online","version":"2.0.0"}],"type":"update"}`,
      'reply',
    );
    this.io.timers.interval(Math.max(1, this.heartbeatMs / 4), () => {
      const idle = this.io.clock() - this.io.lastSentAt() >= this.heartbeatMs;
      if (idle && this.io.subscriptions.size > 0 && !this.io.stalled)
        this.io.send('{"channel":"heartbeat"}', 'keepalive');
    });
  }

  render(frame: VenueFrame): string {
    return frame.data;
  }

  message(text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.error({ method: 'error', reqIdField: '' }, 'Malformed request');
      return;
    }
    const request = parsed.value;
    const reqId = request['req_id'];
    const echo: RequestEcho = {
      method: typeof request['method'] === 'string' ? request['method'] : 'error',
      reqIdField: isUnsignedInteger(reqId) ? `"req_id":${reqId},` : '',
    };
    switch (request['method']) {
      case 'ping':
        this.io.send(`{"method":"pong",${echo.reqIdField}${this.times()}}`, 'reply');
        return;
      case 'subscribe':
      case 'unsubscribe':
        this.changeSubscriptions(request, echo, request['method']);
        return;
      case undefined:
        this.error(echo, 'Malformed request');
        return;
      default:
        this.error(echo, 'Method not supported');
    }
  }

  private changeSubscriptions(request: JsonObject, echo: RequestEcho, method: 'subscribe' | 'unsubscribe'): void {
    const params = request['params'];
    if (!isObject(params)) {
      this.error(echo, 'Malformed request');
      return;
    }
    const symbols = params['symbol'];
    if (params['channel'] !== 'book') {
      const channel = params['channel'];
      this.error(echo, typeof channel === 'string' ? 'Channel not supported in this recording' : 'Malformed request');
      return;
    }
    if (!isStringArray(symbols) || symbols.length === 0) {
      this.error(echo, 'Malformed request');
      return;
    }
    const depth = params['depth'] ?? 10;
    const snapshot = params['snapshot'] ?? true;
    for (const symbol of symbols) {
      if (typeof depth !== 'number' || !DEPTHS.includes(depth) || typeof snapshot !== 'boolean') {
        this.error(echo, 'Subscription depth not supported', symbol);
        continue;
      }
      const stream = `book-${depth}:${symbol}`;
      if (method === 'subscribe') this.subscribe(echo, stream, symbol, depth, snapshot);
      else this.unsubscribe(echo, stream, symbol, depth);
    }
  }

  private subscribe(echo: RequestEcho, stream: string, symbol: string, depth: number, snapshot: boolean): void {
    const { catalog } = this.state;
    if (!catalog.offers(stream)) {
      const known = catalog.some((offered) => offered.endsWith(`:${symbol}`));
      this.error(echo, known ? 'Subscription depth not supported' : `Currency pair not supported ${symbol}`, symbol);
      return;
    }
    if (this.io.subscriptions.has(stream)) {
      this.error(echo, 'Already subscribed', symbol);
      return;
    }
    this.io.subscribe(stream);
    this.ack(echo, `{"channel":"book","depth":${depth},"snapshot":${snapshot},"symbol":${quote(symbol)}}`);
    if (!snapshot) return;
    const current = this.state.books.snapshot(stream);
    if (current !== undefined) this.io.sendData(stream, current);
  }

  private unsubscribe(echo: RequestEcho, stream: string, symbol: string, depth: number): void {
    if (!this.io.subscriptions.has(stream)) {
      this.error(echo, 'Subscription Not Found', symbol);
      return;
    }
    this.io.unsubscribe(stream);
    this.ack(echo, `{"channel":"book","depth":${depth},"symbol":${quote(symbol)}}`);
  }

  private ack(echo: RequestEcho, result: string): void {
    this.io.send(
      `{"method":${quote(echo.method)},${echo.reqIdField}"result":${result},"success":true,${this.times()}}`,
      'reply',
    );
  }

  private error(echo: RequestEcho, message: string, symbol?: string): void {
    this.io.rejected();
    const symbolField = symbol === undefined ? '' : `"symbol":${quote(symbol)},`;
    this.io.send(
      `{"error":${quote(message)},"method":${quote(echo.method)},${echo.reqIdField}"success":false,` +
        `${symbolField}${this.times()}}`,
      'reply',
    );
  }

  /** `"time_in":..,"time_out":..` at the exchange's time (both the same: the answer is immediate). */
  private times(): string {
    const now = quote(microsToRfc3339(this.io.now()));
    return `"time_in":${now},"time_out":${now}`;
  }
}
