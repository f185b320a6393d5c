import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, parseJson, quote, type JsonObject } from './json';
import { OkxBooks } from './okx-book';
import { StreamCatalog } from './stream-catalog';

/*
 * OKX v5 public WebSocket (wss://ws.okx.com:8443/ws/v5/public; OKX API v5 "WebSocket" overview):
 * - {"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]} is acked per arg with
 *   {"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}} (the recording's 2022 shape,
 *   without the later connId); repeated subscribes are acked again (seen in the recording).
 * - Errors: {"event":"error","code":"60012","msg":"Invalid request: ..."}, "60018" "Wrong URL or
 *   channel:{channel},instId:{instId} doesn't exist. Please use the correct URL, channel and
 *   parameters referring to API document.", "60019" "Invalid op: {op}" (OKX error-code table).
 * - "The connection will break automatically if the subscription is not established or data has
 *   not been pushed for more than 30 seconds." Clients keep it with the text "ping", answered "pong".
 *   The close code 4004 "No data received in 30s." is what client libraries report [secondary].
 *
 * Stream key: "<channel>:<instId>", e.g. "books:BTC-USDT". VenueFrame.data is the frame text.
 * A subscribe to an incremental book channel made after the stream's recorded snapshot has gone by
 * (a reconnect, or a resubscribe after a checksum mismatch; a repeated subscribe counts too) is
 * followed, after its ack, by a snapshot of the exchange's current book (`okx-book.ts`).
 */

export interface OkxDialectOptions {
  /** Close a connection nothing was pushed to for this long. Default 30 000 ms. */
  readonly idleTimeoutMs?: number;
  readonly idleCloseCode?: number;
  readonly idleCloseReason?: string;
}

const NOT_FOUND_TAIL = " doesn't exist. Please use the correct URL, channel and parameters referring to API document.";

export function okxDialect(options: OkxDialectOptions = {}): Dialect {
  const catalog = new StreamCatalog<true>();
  const books = new OkxBooks();
  const settings: Required<OkxDialectOptions> = {
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    idleCloseCode: options.idleCloseCode ?? 4004,
    idleCloseReason: options.idleCloseReason ?? 'No data received in 30s.',
  };
  return {
    venue: 'okx',
    classifyRecorded: (text) => {
      catalog.markRecorded();
      const classified = classifyOkx(text);
      if (classified.kind === 'data') catalog.set(classified.stream, true);
      return classified;
    },
    acceptsPath: (url) => url.pathname === '/ws/v5/public',
    openSession: (_url, io) => new OkxSession(io, catalog, books, settings),
    observe: (frame) => {
      books.observe(frame);
    },
    corruptChecksum: (text) => {
      const match = /"checksum":(-?\d+)/.exec(text);
      if (match?.[1] === undefined) return undefined;
      const value = Number(match[1]);
      // Stay a signed 32-bit value, as OKX sends.
      const changed = value === 2_147_483_647 ? value - 1 : value + 1;
      return text.slice(0, match.index) + `"checksum":${changed}` + text.slice(match.index + match[0].length);
    },
  };
}

function classifyOkx(text: string): ClassifiedFrame {
  if (text === 'pong') return { kind: 'control' };
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return { kind: 'unknown', reason: 'not a JSON object' };
  if (typeof parsed.value['event'] === 'string') return { kind: 'control' };
  const arg = parsed.value['arg'];
  if (!isObject(arg) || typeof arg['channel'] !== 'string' || typeof arg['instId'] !== 'string') {
    return { kind: 'unknown', reason: 'push without arg.channel/arg.instId' };
  }
  return { kind: 'data', stream: `${arg['channel']}:${arg['instId']}`, data: text };
}

class OkxSession implements DialectSession {
  constructor(
    private readonly io: SessionIo,
    private readonly catalog: StreamCatalog<true>,
    private readonly books: OkxBooks,
    private readonly settings: Required<OkxDialectOptions>,
  ) {}

  open(): void {
    const { idleTimeoutMs, idleCloseCode, idleCloseReason } = this.settings;
    this.io.timers.interval(Math.max(1, idleTimeoutMs / 4), () => {
      // A stall is the exchange's own silence: it does not count against the client.
      if (this.io.stalled) return;
      if (this.io.clock() - this.io.lastSentAt() >= idleTimeoutMs) this.io.close(idleCloseCode, idleCloseReason);
    });
  }

  render(frame: VenueFrame): string {
    return frame.data;
  }

  message(text: string): void {
    if (text === 'ping') {
      this.io.send('pong', 'reply');
      return;
    }
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.error('60012', `Invalid request: ${text}`);
      return;
    }
    const request = parsed.value;
    const op = request['op'];
    if (op !== 'subscribe' && op !== 'unsubscribe') {
      if (typeof op === 'string') this.error('60019', `Invalid op: ${op}`);
      else this.error('60012', `Invalid request: ${text}`);
      return;
    }
    const args = request['args'];
    if (!Array.isArray(args) || args.length === 0 || !args.every(isChannelArg)) {
      this.error('60012', `Invalid request: ${text}`);
      return;
    }
    for (const arg of args) this.change(op, arg);
  }

  private change(op: 'subscribe' | 'unsubscribe', arg: JsonObject): void {
    const channel = String(arg['channel']);
    const instId = String(arg['instId']);
    const stream = `${channel}:${instId}`;
    if (!this.catalog.offers(stream)) {
      this.error('60018', `Wrong URL or channel:${channel},instId:${instId}${NOT_FOUND_TAIL}`);
      return;
    }
    if (op === 'subscribe') this.io.subscribe(stream);
    else this.io.unsubscribe(stream);
    this.io.send(`{"event":"${op}","arg":{"channel":${quote(channel)},"instId":${quote(instId)}}}`, 'reply');
    const snapshot = op === 'subscribe' ? this.books.snapshot(channel, instId) : undefined;
    if (snapshot !== undefined) this.io.sendData(stream, snapshot);
  }

  private error(code: string, msg: string): void {
    this.io.rejected();
    this.io.send(`{"event":"error","code":"${code}","msg":${quote(msg)}}`, 'reply');
  }
}

function isChannelArg(arg: unknown): arg is JsonObject {
  return isObject(arg) && typeof arg['channel'] === 'string' && typeof arg['instId'] === 'string';
}
