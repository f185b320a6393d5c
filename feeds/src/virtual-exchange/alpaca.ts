import { Buffer } from 'node:buffer';
import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, parseJson, type JsonObject } from './json';

/*
 * Alpaca stock market data v2 (docs.alpaca.markets/docs/streaming-market-data and
 * .../real-time-stock-pricing-data):
 * - Endpoints /v2/iex, /v2/sip and /v2/test ("a test stream that is available all the time ... Use
 *   the symbol FAKEPACA"). "Upon successfully connecting, you will receive the welcome message
 *   [{"T":"success","msg":"connected"}]".
 * - {"action":"auth","key":..,"secret":..} within 10 seconds, answered [{"T":"success","msg":
 *   "authenticated"}]; errors 402 auth failed, 403 already authenticated, 404 auth timeout, 409
 *   insufficient subscription (a feed the plan lacks), and 406 "connection limit exceeded" for a
 *   second connection of the same user to an endpoint ("in most subscriptions ... this limit is 1").
 * - {"action":"subscribe"|"unsubscribe","trades":[..],"quotes":[..],"bars":[..],...} before auth:
 *   401; malformed (or a malformed symbol): 400 invalid syntax; over the plan's symbol limit: 405,
 *   "your symbol subscriptions are the same as they were before"; a channel of another stream
 *   (orderbooks, news): 410. Each change is answered with the whole list, [{"T":"subscription",...}];
 *   "Subscription to trade corrections and cancel/errors is automatic when you subscribe to the
 *   trade channel". "*" subscribes every symbol of a channel.
 * - "Control messages ... always arrive in arrays of size one"; data points arrive in arrays that
 *   may hold several.
 * Measured on the live endpoint by a third party [secondary] and followed here: the server pings
 * about every 54 s and drops a client that leaves a ping unanswered for 6 s; a 406 newcomer is
 * closed about 10 s after the error while the incumbent is undisturbed; after 402 (and 409) the
 * socket stays open and nothing more happens. Alpaca's closes carry no close frame (the client sees
 * 1006); SessionIo can only close with a code, so these use 1008 with a reason (ours).
 *
 * Stream key: "<channel>:<SYMBOL>", e.g. "trades:AAPL", "quotes:FAKEPACA", "bars:SPY".
 * VenueFrame.data is the frame text, a JSON array of data points of that one stream.
 */

export type AlpacaFeedPath = 'iex' | 'sip' | 'test';

export interface AlpacaDialectCredential {
  readonly key: string;
  readonly secret: string;
  /** Feeds the key's plan includes. Default all three; without 'sip' auth on /v2/sip gets 409. */
  readonly feeds?: readonly AlpacaFeedPath[];
}

export interface AlpacaDialectOptions {
  /** Key pairs the exchange accepts. Default one: key "AKVIRTUAL", secret "virtual-secret". */
  readonly credentials?: readonly AlpacaDialectCredential[];
  /** Default 10 000 ("You must authenticate within 10 seconds"). */
  readonly authTimeoutMs?: number;
  /** Default 54 000 [secondary]. 0 disables pings. */
  readonly pingIntervalMs?: number;
  /** Close a connection that has not answered a ping within this. Default 6 000 [secondary]. */
  readonly pongTimeoutMs?: number;
  /** How long after 406 the refused newcomer is closed. Default 10 000 [secondary]. */
  readonly duplicateCloseMs?: number;
  /** After 402: 'stay-open' (measured, default) or 'close' the connection at once. */
  readonly authFailure?: 'stay-open' | 'close';
  /** Symbols allowed on trades and on quotes (each); the free IEX plan documents 30. Default none. */
  readonly symbolLimit?: number;
}

export const ALPACA_DEFAULT_KEY = 'AKVIRTUAL';
export const ALPACA_DEFAULT_SECRET = 'virtual-secret';

/** Message type → channel; the order of CHANNELS is the order of the subscription answer's keys. */
const CHANNEL_OF_TYPE: Readonly<Record<string, Channel>> = {
  t: 'trades',
  q: 'quotes',
  b: 'bars',
  u: 'updatedBars',
  d: 'dailyBars',
  s: 'statuses',
  l: 'lulds',
  c: 'corrections',
  x: 'cancelErrors',
  i: 'imbalances',
};
const CHANNELS = [
  'trades',
  'quotes',
  'bars',
  'updatedBars',
  'dailyBars',
  'statuses',
  'lulds',
  'corrections',
  'cancelErrors',
  'imbalances',
] as const;
type Channel = (typeof CHANNELS)[number];
/** Channels a client names; corrections and cancel/errors follow trades. */
const SUBSCRIBABLE: readonly Channel[] = CHANNELS.filter((c) => c !== 'corrections' && c !== 'cancelErrors');
/** Channels of Alpaca's other streams: asking the stock stream for them is a 410. */
const OTHER_STREAMS = new Set(['orderbooks', 'news']);
const SYMBOL = /^(?:\*|[A-Z0-9][A-Z0-9./-]{0,20})$/;
const CONTROL_TYPES = new Set(['success', 'error', 'subscription']);
const FEEDS: readonly AlpacaFeedPath[] = ['iex', 'sip', 'test'];

const ERRORS = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  409: 'insufficient subscription',
  410: 'invalid subscribe action for this feed',
} as const;
type ErrorCode = keyof typeof ERRORS;

interface Settings {
  readonly credentials: readonly AlpacaDialectCredential[];
  readonly authTimeoutMs: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly duplicateCloseMs: number;
  readonly authFailure: 'stay-open' | 'close';
  readonly symbolLimit: number;
}

/** State shared by the sessions of one exchange: who holds each key on each endpoint, and who asked for "*". */
interface Shared {
  readonly holders: Map<string, AlpacaSession>;
  readonly sessions: Set<AlpacaSession>;
}

export function alpacaDialect(options: AlpacaDialectOptions = {}): Dialect {
  const settings: Settings = {
    credentials: options.credentials ?? [{ key: ALPACA_DEFAULT_KEY, secret: ALPACA_DEFAULT_SECRET }],
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    pingIntervalMs: options.pingIntervalMs ?? 54_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 6_000,
    duplicateCloseMs: options.duplicateCloseMs ?? 10_000,
    authFailure: options.authFailure ?? 'stay-open',
    symbolLimit: options.symbolLimit ?? Infinity,
  };
  const shared: Shared = { holders: new Map(), sessions: new Set() };
  return {
    venue: 'alpaca',
    classifyRecorded: classifyAlpaca,
    acceptsPath: (url) => feedOf(url) !== undefined,
    openSession: (url, io) => new AlpacaSession(feedOf(url) ?? 'iex', io, settings, shared),
    observe: (frame) => {
      // "*" subscriptions learn each symbol's stream as it first appears on the timeline.
      for (const session of shared.sessions) {
        if (session.alive) session.observe(frame.stream);
        else shared.sessions.delete(session);
      }
    },
  };
}

function feedOf(url: URL): AlpacaFeedPath | undefined {
  const feed = /^\/v2\/([a-z]+)$/.exec(url.pathname)?.[1];
  return FEEDS.find((f) => f === feed);
}

/** A recorded frame: control frames are regenerated; a data frame must hold points of one stream. */
function classifyAlpaca(text: string): ClassifiedFrame {
  const parsed = parseJson(text);
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.length === 0) {
    return { kind: 'unknown', reason: 'not a non-empty JSON array' };
  }
  const streams = new Set<string>();
  let control = 0;
  for (const message of parsed.value as unknown[]) {
    if (!isObject(message) || typeof message['T'] !== 'string') return { kind: 'unknown', reason: 'message without T' };
    const type = message['T'];
    if (CONTROL_TYPES.has(type)) {
      control++;
      continue;
    }
    const channel = CHANNEL_OF_TYPE[type];
    if (channel === undefined || typeof message['S'] !== 'string') {
      return { kind: 'unknown', reason: `unknown message type ${JSON.stringify(type)}` };
    }
    streams.add(`${channel}:${message['S']}`);
  }
  if (control === parsed.value.length) return { kind: 'control' };
  const [stream] = streams;
  if (control > 0 || streams.size !== 1 || stream === undefined) {
    // A batch mixing streams would need splitting per connection: not supported (see README).
    return { kind: 'unknown', reason: `batch of several streams: ${[...streams].join(', ')}` };
  }
  return { kind: 'data', stream, data: text };
}

type Lists = Record<Channel, Set<string>>;

function emptyLists(): Lists {
  return Object.fromEntries(CHANNELS.map((channel) => [channel, new Set<string>()])) as Lists;
}

class AlpacaSession implements DialectSession {
  private authenticated = false;
  private authFailed = false;
  private key: string | undefined;
  /** What the client asked for, per channel, "*" included: the subscription answer lists these. */
  private readonly lists = emptyLists();
  private readonly awaitingPong = new Map<string, number>();
  private authTimer: ReturnType<SessionIo['timers']['timeout']>;
  private pingCounter = 0;

  constructor(
    private readonly feed: AlpacaFeedPath,
    private readonly io: SessionIo,
    private readonly settings: Settings,
    private readonly shared: Shared,
  ) {}

  /**
   * The dialect contract has no "connection ended" hook; a connection's timers are cleared when it
   * ends, and every session keeps one interval running, so an empty timer set means it is gone.
   */
  get alive(): boolean {
    return this.io.timers.size > 0;
  }

  open(): void {
    this.shared.sessions.add(this);
    this.io.send('[{"T":"success","msg":"connected"}]', 'reply');
    this.authTimer = this.io.timers.timeout(this.settings.authTimeoutMs, () => {
      if (this.authenticated || this.authFailed) return;
      this.error(404);
      this.closeAndRelease(1008, 'auth timeout');
    });
    const { pingIntervalMs } = this.settings;
    // The interval doubles as the liveness marker (see `alive`), so it runs even with pings off.
    this.io.timers.interval(pingIntervalMs > 0 ? pingIntervalMs : 3_600_000, () => {
      if (pingIntervalMs > 0) this.sendPing();
    });
  }

  render(frame: VenueFrame): string {
    return frame.data;
  }

  pong(payload: Buffer): void {
    this.awaitingPong.delete(payload.toString('hex'));
  }

  message(text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.error(400);
      return;
    }
    const request = parsed.value;
    switch (request['action']) {
      case 'auth':
        this.auth(request);
        return;
      case 'subscribe':
      case 'unsubscribe':
        this.change(request['action'], request);
        return;
      default:
        this.error(400);
    }
  }

  /** A stream published on the timeline: join it if the client asked for "*" on its channel. */
  observe(stream: string): void {
    const channel = stream.slice(0, stream.indexOf(':')) as Channel;
    if (this.authenticated && this.lists[channel].has('*')) this.io.subscribe(stream);
  }

  private auth(request: JsonObject): void {
    if (this.authenticated) {
      this.error(403);
      return;
    }
    const key = request['key'];
    const secret = request['secret'];
    const credential = this.settings.credentials.find((c) => c.key === key && c.secret === secret);
    if (credential === undefined || typeof key !== 'string') {
      this.error(402);
      this.authFailed = true;
      this.io.timers.cancel(this.authTimer);
      if (this.settings.authFailure === 'close') this.closeAndRelease(1008, 'auth failed');
      return;
    }
    if (!(credential.feeds ?? FEEDS).includes(this.feed)) {
      // Measured: the socket stays open after 409 [secondary].
      this.error(409);
      this.authFailed = true;
      this.io.timers.cancel(this.authTimer);
      return;
    }
    const holderKey = `${this.feed}\u0000${key}`;
    const holder = this.shared.holders.get(holderKey);
    if (holder !== undefined && holder !== this && holder.alive) {
      // The incumbent wins; the newcomer is told, then closed.
      this.error(406);
      this.authFailed = true;
      this.io.timers.cancel(this.authTimer);
      this.io.timers.timeout(this.settings.duplicateCloseMs, () => {
        this.io.close(1008, 'connection limit exceeded');
      });
      return;
    }
    this.shared.holders.set(holderKey, this);
    this.key = holderKey;
    this.authenticated = true;
    this.io.timers.cancel(this.authTimer);
    this.io.send('[{"T":"success","msg":"authenticated"}]', 'reply');
  }

  private change(action: 'subscribe' | 'unsubscribe', request: JsonObject): void {
    if (!this.authenticated) {
      this.error(401);
      return;
    }
    const asked = new Map<Channel, string[]>();
    for (const [name, value] of Object.entries(request)) {
      if (name === 'action') continue;
      if (OTHER_STREAMS.has(name)) {
        this.error(410);
        return;
      }
      const channel = SUBSCRIBABLE.find((c) => c === name);
      if (
        channel === undefined ||
        !Array.isArray(value) ||
        !value.every((symbol): symbol is string => typeof symbol === 'string' && SYMBOL.test(symbol))
      ) {
        this.error(400);
        return;
      }
      asked.set(channel, value);
    }
    // "be sure to include at least one" channel.
    if (asked.size === 0) {
      this.error(400);
      return;
    }
    if (action === 'subscribe' && this.overLimit(asked)) {
      this.error(405);
      return;
    }
    for (const [channel, symbols] of asked) {
      const followers: Channel[] = channel === 'trades' ? ['trades', 'corrections', 'cancelErrors'] : [channel];
      for (const symbol of symbols) {
        for (const c of followers) {
          if (action === 'subscribe') this.add(c, symbol);
          else this.remove(c, symbol);
        }
      }
    }
    this.io.send(this.subscriptionAnswer(), 'reply');
  }

  private overLimit(asked: ReadonlyMap<Channel, readonly string[]>): boolean {
    for (const channel of ['trades', 'quotes'] as const) {
      const next = new Set([...this.lists[channel], ...(asked.get(channel) ?? [])]);
      if (next.size > this.settings.symbolLimit) return true;
    }
    return false;
  }

  private add(channel: Channel, symbol: string): void {
    this.lists[channel].add(symbol);
    if (symbol !== '*') this.io.subscribe(`${channel}:${symbol}`);
    // Streams already seen on the timeline are joined by observe() from now on; nothing to replay.
  }

  private remove(channel: Channel, symbol: string): void {
    this.lists[channel].delete(symbol);
    const prefix = `${channel}:`;
    for (const stream of [...this.io.subscriptions]) {
      if (!stream.startsWith(prefix)) continue;
      const name = stream.slice(prefix.length);
      // Unsubscribing "*" leaves the symbols named explicitly.
      if ((symbol === '*' && !this.lists[channel].has(name)) || name === symbol) this.io.unsubscribe(stream);
    }
  }

  /** The whole current list, keys in the documented order; imbalances only when used. */
  private subscriptionAnswer(): string {
    const answer: Record<string, unknown> = { T: 'subscription' };
    for (const channel of CHANNELS) {
      if (channel === 'imbalances' && this.lists.imbalances.size === 0) continue;
      answer[channel] = [...this.lists[channel]];
    }
    return JSON.stringify([answer]);
  }

  private error(code: ErrorCode): void {
    if (code !== 406) this.io.rejected();
    this.io.send(`[{"T":"error","code":${code},"msg":"${ERRORS[code]}"}]`, 'reply');
  }

  private sendPing(): void {
    if (this.io.stalled) return;
    const payload = Buffer.from(String(++this.pingCounter));
    const id = payload.toString('hex');
    this.awaitingPong.set(id, this.io.clock());
    this.io.ping(payload);
    this.io.timers.timeout(this.settings.pongTimeoutMs, () => {
      if (this.awaitingPong.has(id)) this.closeAndRelease(1008, 'ping timeout');
    });
  }

  private closeAndRelease(code: number, reason: string): void {
    if (this.key !== undefined && this.shared.holders.get(this.key) === this) this.shared.holders.delete(this.key);
    this.io.close(code, reason);
  }
}
