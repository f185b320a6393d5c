import type { ClassifiedFrame, Dialect, DialectSession, SessionIo } from './dialect';
import type { VenueFrame } from './frame-source';
import { isObject, isStringArray, isUnsignedInteger, parseJson, quote, type JsonObject } from './json';
import { KrakenBooks } from './kraken-book';
import { StreamCatalog } from './stream-catalog';

/*
 * Kraken spot WebSocket v1 (wss://ws.kraken.com; docs.kraken.com/api/docs/websocket-v1):
 * - Subscribe {"event":"subscribe","pair":[..],"subscription":{"name":"book","depth":N}} is answered
 *   per pair by "subscriptionStatus", "returned for every subscribe or unsubscribe request";
 *   "channelID: Channel ID on successful subscription, applicable to public messages only".
 *   Book "depth options are 10, 25, 100, 500, or 1000", default 10; the channel is "book-<depth>".
 *   Failures carry "errorMessage" with status "error" (e.g. "Subscription depth not supported",
 *   "Currency pair not supported XBT/ABC", "Subscription name invalid").
 * - Data frames are arrays [channelID, data..., channelName, pair].
 * - "Server heartbeat sent if no subscription traffic within approximately 1 second. Heartbeats are
 *   only sent if there is an active connection with at least one subscription." {"event":"heartbeat"}
 * - "Client can ping server to determine whether connection is alive, server responds with pong":
 *   {"event":"ping","reqid":42} -> {"event":"pong","reqid":42}.
 * - systemStatus is sent on connect. Replies list their keys alphabetically, as the venue does.
 *
 * Stream key: "<channelName>:<pair>" as on the wire, e.g. "book-1000:XBT/USD", "trade:XBT/USD".
 * VenueFrame.data is the frame text, channelID included; subscribing answers with that channelID.
 * A book subscription made after the stream's recorded snapshot has gone by is answered, after its
 * subscriptionStatus, with a snapshot of the exchange's current book (`kraken-book.ts`), as the
 * venue sends every new subscriber one.
 */

export interface KrakenDialectOptions {
  /** Idle time before a heartbeat. Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
}

interface KrakenStream {
  readonly channelId: number;
}

const NAMES = ['book', 'ticker', 'trade', 'spread', 'ohlc'];
const DEPTHS = [10, 25, 100, 500, 1000];
const OHLC_INTERVALS = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];
const PAIR = /^[A-Z0-9]{2,12}\/[A-Z0-9]{2,12}$/;
const DEFAULT_STATUS = '{"connectionID":1,"event":"systemStatus","status":"online","version":"1.8.3"}';

export function krakenDialect(options: KrakenDialectOptions = {}): Dialect {
  const state = new KrakenState();
  const heartbeatMs = options.heartbeatIntervalMs ?? 1000;
  return {
    venue: 'kraken',
    classifyRecorded: (text) => state.classify(text),
    acceptsPath: (url) => url.pathname === '/' || url.pathname === '',
    openSession: (_url, io) => new KrakenSession(io, state, heartbeatMs),
    observe: (frame) => {
      state.books.observe(frame);
    },
    corruptChecksum: (text) => {
      const match = /"c":"(\d+)"/.exec(text);
      if (match?.[1] === undefined) return undefined;
      const changed = String((Number(match[1]) + 1) % 2 ** 32);
      return text.slice(0, match.index) + `"c":"${changed}"` + text.slice(match.index + match[0].length);
    },
  };
}

/** What the dialect learned from the recording: streams with their channel ids, the status greeting. */
class KrakenState {
  readonly catalog = new StreamCatalog<KrakenStream>();
  readonly books = new KrakenBooks();
  systemStatus = DEFAULT_STATUS;
  private learnedStatus = false;
  private nextChannelId = 1;

  classify(text: string): ClassifiedFrame {
    this.catalog.markRecorded();
    const parsed = parseJson(text);
    if (!parsed.ok) return { kind: 'unknown', reason: 'not JSON' };
    const value = parsed.value;
    if (Array.isArray(value)) {
      const channelId: unknown = value[0];
      const channelName: unknown = value[value.length - 2];
      const pair: unknown = value[value.length - 1];
      if (
        value.length < 4 ||
        !isUnsignedInteger(channelId) ||
        typeof channelName !== 'string' ||
        typeof pair !== 'string'
      ) {
        return { kind: 'unknown', reason: 'array frame without [channelID, ..., channelName, pair]' };
      }
      const stream = `${channelName}:${pair}`;
      if (!this.catalog.has(stream)) this.learn(stream, channelId);
      return { kind: 'data', stream, data: text };
    }
    if (!isObject(value)) return { kind: 'unknown', reason: 'neither array nor object' };
    const event = value['event'];
    if (event === 'systemStatus' && !this.learnedStatus) {
      // Kept as text: its connectionID exceeds 2^53 and must reach clients unchanged.
      this.systemStatus = text;
      this.learnedStatus = true;
    }
    if (event === 'subscriptionStatus' && value['status'] === 'subscribed') {
      const channelId = value['channelID'];
      const channelName = value['channelName'];
      const pair = value['pair'];
      if (isUnsignedInteger(channelId) && typeof channelName === 'string' && typeof pair === 'string') {
        this.learn(`${channelName}:${pair}`, channelId);
      }
    }
    return typeof event === 'string' ? { kind: 'control' } : { kind: 'unknown', reason: 'object without event' };
  }

  /** The channel id replies carry: the recorded one, or a fresh one for a stream never recorded. */
  channelIdOf(stream: string): number {
    const known = this.catalog.get(stream);
    if (known !== undefined) return known.channelId;
    const channelId = this.nextChannelId;
    this.learn(stream, channelId);
    return channelId;
  }

  private learn(stream: string, channelId: number): void {
    this.catalog.set(stream, { channelId });
    this.nextChannelId = Math.max(this.nextChannelId, channelId + 1);
  }
}

interface Subscription {
  readonly name: string;
  readonly channelName: string;
  /** The "subscription" object echoed in replies (depth, interval, name). */
  readonly echo: string;
}

class KrakenSession implements DialectSession {
  constructor(
    private readonly io: SessionIo,
    private readonly state: KrakenState,
    private readonly heartbeatMs: number,
  ) {}

  open(): void {
    this.io.send(this.state.systemStatus, 'reply');
    this.io.timers.interval(Math.max(1, this.heartbeatMs / 4), () => {
      const idle = this.io.clock() - this.io.lastSentAt() >= this.heartbeatMs;
      if (idle && this.io.subscriptions.size > 0 && !this.io.stalled)
        this.io.send('{"event":"heartbeat"}', 'keepalive');
    });
  }

  render(frame: VenueFrame): string {
    return frame.data;
  }

  message(text: string): void {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value)) {
      this.generalError('Malformed request');
      return;
    }
    const request = parsed.value;
    const reqid = isUnsignedInteger(request['reqid']) ? request['reqid'] : undefined;
    const reqidField = reqid === undefined ? '' : `"reqid":${reqid},`;
    switch (request['event']) {
      case 'ping':
        this.io.send(reqid === undefined ? '{"event":"pong"}' : `{"event":"pong","reqid":${reqid}}`, 'reply');
        return;
      case 'subscribe':
      case 'unsubscribe':
        this.changeSubscriptions(request, request['event'], reqidField);
        return;
      default:
        this.generalError('Unsupported event', reqidField);
    }
  }

  private changeSubscriptions(request: JsonObject, event: 'subscribe' | 'unsubscribe', reqidField: string): void {
    const pairs = request['pair'];
    const subscription = request['subscription'];
    if (!isStringArray(pairs) || pairs.length === 0 || !isObject(subscription)) {
      this.generalError('Malformed request', reqidField);
      return;
    }
    const parsed = parseSubscription(subscription);
    for (const pair of pairs) {
      if (typeof parsed === 'string') {
        this.statusError(parsed, pair, echoOf(subscription), reqidField);
        continue;
      }
      if (!PAIR.test(pair)) {
        this.statusError(`Currency pair not in ISO 4217-A3 format ${pair}`, pair, parsed.echo, reqidField);
        continue;
      }
      const stream = `${parsed.channelName}:${pair}`;
      if (event === 'subscribe') this.subscribe(stream, pair, parsed, reqidField);
      else this.unsubscribe(stream, pair, parsed, reqidField);
    }
  }

  private subscribe(stream: string, pair: string, subscription: Subscription, reqidField: string): void {
    const { catalog } = this.state;
    if (!catalog.offers(stream)) {
      const pairKnown = catalog.some((known) => known.endsWith(`:${pair}`));
      const why = !pairKnown
        ? `Currency pair not supported ${pair}`
        : subscription.name === 'book'
          ? 'Subscription depth not supported'
          : 'Subscription not available in this recording';
      this.statusError(why, pair, subscription.echo, reqidField);
      return;
    }
    if (this.io.subscriptions.has(stream)) {
      this.statusError('Already subscribed', pair, subscription.echo, reqidField);
      return;
    }
    this.io.subscribe(stream);
    this.status(stream, pair, subscription, 'subscribed', reqidField);
    if (subscription.name !== 'book') return;
    const snapshot = this.state.books.snapshot(stream, this.state.channelIdOf(stream));
    if (snapshot !== undefined) this.io.sendData(stream, snapshot);
  }

  private unsubscribe(stream: string, pair: string, subscription: Subscription, reqidField: string): void {
    if (!this.io.subscriptions.has(stream)) {
      this.statusError('Subscription Not Found', pair, subscription.echo, reqidField);
      return;
    }
    this.io.unsubscribe(stream);
    this.status(stream, pair, subscription, 'unsubscribed', reqidField);
  }

  private status(stream: string, pair: string, subscription: Subscription, status: string, reqidField: string): void {
    const channelId = this.state.channelIdOf(stream);
    this.io.send(
      `{"channelID":${channelId},"channelName":${quote(subscription.channelName)},"event":"subscriptionStatus",` +
        `"pair":${quote(pair)},${reqidField}"status":"${status}","subscription":${subscription.echo}}`,
      'reply',
    );
  }

  private statusError(message: string, pair: string, echo: string, reqidField: string): void {
    this.io.rejected();
    this.io.send(
      `{"errorMessage":${quote(message)},"event":"subscriptionStatus","pair":${quote(pair)},${reqidField}` +
        `"status":"error","subscription":${echo}}`,
      'reply',
    );
  }

  private generalError(message: string, reqidField = ''): void {
    this.io.rejected();
    const reqid = reqidField === '' ? '' : `,${reqidField.slice(0, -1)}`;
    this.io.send(`{"errorMessage":${quote(message)},"event":"error"${reqid}}`, 'reply');
  }
}

/** Validates a "subscription" object; a string is the venue's error message. */
function parseSubscription(subscription: JsonObject): Subscription | string {
  const name = subscription['name'];
  if (typeof name !== 'string' || !NAMES.includes(name)) return 'Subscription name invalid';
  if (name === 'book') {
    const depth = subscription['depth'] ?? 10;
    if (typeof depth !== 'number' || !DEPTHS.includes(depth)) return 'Subscription depth not supported';
    return { name, channelName: `book-${depth}`, echo: `{"depth":${depth},"name":"book"}` };
  }
  if (name === 'ohlc') {
    const interval = subscription['interval'] ?? 1;
    if (typeof interval !== 'number' || !OHLC_INTERVALS.includes(interval))
      return 'Subscription ohlc interval not supported';
    return { name, channelName: `ohlc-${interval}`, echo: `{"interval":${interval},"name":"ohlc"}` };
  }
  return { name, channelName: name, echo: `{"name":${quote(name)}}` };
}

/** The subscription as an error reply echoes it: depth, interval, name, in that (alphabetical) order. */
function echoOf(subscription: JsonObject): string {
  const fields: string[] = [];
  for (const key of ['depth', 'interval', 'name']) {
    const value = subscription[key];
    if (typeof value === 'number' || typeof value === 'string') fields.push(`${quote(key)}:${JSON.stringify(value)}`);
  }
  return `{${fields.join(',')}}`;
}
