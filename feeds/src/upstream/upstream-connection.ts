import WebSocket from 'ws';
import type { FeedStatusEvent, MarketEvent } from '../model/events';
import type { EpochMicros } from '../model/events';
import { millisToMicros } from '../model/time';
import type {
  FrameOutcome,
  HttpRequest,
  SessionSink,
  UpstreamSubscription,
  VenueAdapter,
  VenueSession,
} from '../adapters/venue-adapter';
import { Backoff } from './backoff';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export interface UpstreamConnectionOptions {
  readonly adapter: VenueAdapter;
  readonly subscriptions: readonly UpstreamSubscription[];
  /** Normalized events and status changes, in order. */
  readonly onEvent: (event: MarketEvent) => void;
  /** REST client; default: fetch with a 10 s timeout. */
  readonly fetchText?: (url: string) => Promise<HttpResponse>;
  /** The upstream is declared dead after this many heartbeat intervals of silence (default 3). */
  readonly deadAfterIntervals?: number;
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  /** A connection that stays up this long resets the backoff (default 30 s). */
  readonly healthyAfterMs?: number;
  /** Replace the connection this long before the venue's maximum lifetime (default 5 min). */
  readonly lifetimeMarginMs?: number;
  /** Least time between two REST requests for the same URL, doubled after each failure (default 1 s). */
  readonly requestSpacingMs?: number;
  readonly random?: () => number;
  readonly now?: () => EpochMicros;
  /** Opens the upstream socket; default `new WebSocket(url, options)` (tests watch the sockets). */
  readonly openSocket?: (url: string, options: WebSocket.ClientOptions) => WebSocket;
}

export interface UpstreamStats {
  connectionsOpened: number;
  reconnects: number;
  deadDeclared: number;
  replacements: number;
  framesReceived: number;
  binaryFramesRejected: number;
  outcomes: Record<FrameOutcome, Record<string, number>>;
  httpRequests: number;
  httpFailures: number;
}

interface Link {
  readonly socket: WebSocket;
  readonly session: VenueSession;
  readonly id: number;
  opened: boolean;
  lastReceived: number;
  lastSent: number;
  readonly timers: Set<NodeJS.Timeout>;
  /** Events of a replacement link, held until it takes over. */
  readonly held: MarketEvent[];
  /** Symbols whose book this link's session reported live. */
  readonly liveBooks: Set<string>;
  /** Messages waiting for the venue's client message rate, and when the last second's went out. */
  readonly outbox: string[];
  readonly sentTimes: number[];
  drainTimer: NodeJS.Timeout | undefined;
}

/** Trade ids remembered to drop the trades two overlapping links both deliver. */
const RECENT_TRADES = 10_000;

/**
 * One upstream venue connection kept alive: connect, subscribe (through the adapter's session),
 * detect a silent upstream (declared dead after N heartbeat intervals, then dropped), reconnect
 * with jittered exponential backoff and a fresh session (so books resync), replace the socket
 * before the venue's forced disconnect or when it announces one (the new socket is up before the
 * old one closes), and make the REST requests sessions ask for. Emits a status event for every
 * transition. stop() releases every timer and listener.
 */
export class UpstreamConnection {
  readonly stats: UpstreamStats = {
    connectionsOpened: 0,
    reconnects: 0,
    deadDeclared: 0,
    replacements: 0,
    framesReceived: 0,
    binaryFramesRejected: 0,
    outcomes: { parsed: {}, ignored: {}, rejected: {} },
    httpRequests: 0,
    httpFailures: 0,
  };
  private wanted: UpstreamSubscription[];
  private active: Link | undefined;
  private replacing: Link | undefined;
  private stopped = true;
  private nextLinkId = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private readonly requestTimers = new Map<
    string,
    { timer: NodeJS.Timeout | undefined; failures: number; lastAt: number; waiting: Link[] }
  >();
  private readonly recentTrades = new Set<string>();
  private readonly now: () => EpochMicros;
  private readonly fetchText: (url: string) => Promise<HttpResponse>;

  constructor(private readonly options: UpstreamConnectionOptions) {
    this.wanted = [...options.subscriptions];
    this.backoff = new Backoff(options.reconnectBaseMs ?? 500, options.reconnectMaxMs ?? 30_000, options.random);
    this.now = options.now ?? (() => millisToMicros(performance.timeOrigin + performance.now()));
    this.fetchText = options.fetchText ?? defaultFetchText;
  }

  get subscriptions(): readonly UpstreamSubscription[] {
    return this.wanted;
  }

  get isOpen(): boolean {
    return this.active?.opened === true;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.active = this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    for (const entry of this.requestTimers.values()) clearTimeout(entry.timer);
    this.requestTimers.clear();
    const links = [this.active, this.replacing].filter((link): link is Link => link !== undefined);
    this.active = undefined;
    this.replacing = undefined;
    await Promise.all(links.map((link) => this.shutdown(link, 'stopped')));
  }

  subscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const added = subscriptions.filter((s) => !this.wanted.some((w) => same(w, s)));
    if (added.length === 0) return;
    this.wanted.push(...added);
    if (this.active?.opened === true) this.active.session.subscribe(added);
  }

  unsubscribe(subscriptions: readonly UpstreamSubscription[]): void {
    const removed = this.wanted.filter((w) => subscriptions.some((s) => same(w, s)));
    if (removed.length === 0) return;
    this.wanted = this.wanted.filter((w) => !removed.includes(w));
    if (this.active?.opened === true) this.active.session.unsubscribe(removed);
  }

  private connect(): Link {
    const id = ++this.nextLinkId;
    const policy = this.options.adapter.heartbeat;
    // A venue that accepts TCP but never finishes the upgrade must not stall the feed forever.
    const openSocket = this.options.openSocket ?? ((url, options) => new WebSocket(url, options));
    const socket = openSocket(this.options.adapter.url(this.wanted), {
      perMessageDeflate: false,
      handshakeTimeout: policy.expectedIntervalMs * (this.options.deadAfterIntervals ?? 3),
    });
    const timers = new Set<NodeJS.Timeout>();
    // The session exists before the socket opens, so frames can never outrun it; its sink finds
    // the link through this holder, filled right below.
    const holder: { link?: Link } = {};
    const sink = this.sinkFor(() => holder.link as Link);
    const initial = [...this.wanted];
    const session = this.options.adapter.createSession(initial, sink);
    const link: Link = {
      socket,
      session,
      id,
      opened: false,
      lastReceived: Date.now(),
      lastSent: Date.now(),
      timers,
      held: [],
      liveBooks: new Set(),
      outbox: [],
      sentTimes: [],
      drainTimer: undefined,
    };
    holder.link = link;
    this.status('connecting', `connection ${id} to ${this.options.adapter.url(this.wanted)}`);
    socket.on('open', () => {
      link.opened = true;
      link.lastReceived = Date.now();
      this.stats.connectionsOpened++;
      this.status('live', `connection ${id} open`);
      session.open(this.now());
      // Subscriptions changed while the socket was connecting: bring the new session up to date.
      const added = this.wanted.filter((w) => !initial.some((i) => same(i, w)));
      const removed = initial.filter((i) => !this.wanted.some((w) => same(i, w)));
      if (added.length > 0) session.subscribe(added);
      if (removed.length > 0) session.unsubscribe(removed);
      this.watch(link);
    });
    socket.on('message', (data, isBinary) => {
      link.lastReceived = Date.now();
      this.stats.framesReceived++;
      if (isBinary) {
        this.stats.binaryFramesRejected++;
        return;
      }
      session.handleFrame(toText(data), this.now());
      if (link === this.replacing && this.isReady(link)) this.promoteReplacement();
    });
    socket.on('ping', () => {
      link.lastReceived = Date.now();
    });
    socket.on('pong', () => {
      link.lastReceived = Date.now();
    });
    socket.on('error', () => {
      // 'close' follows with the code; the error itself is only useful in the status reason.
    });
    socket.on('close', (code, reason) => {
      this.clearTimers(link);
      // Nothing of a closed socket is needed any more: its listeners go with it.
      socket.removeAllListeners();
      // The venue closed the old link before its replacement was ready: the replacement, already
      // opening, takes over now (its books resync there) instead of a reconnect from scratch.
      if (link === this.active && this.replacing !== undefined && !this.stopped) this.promoteReplacement();
      session.close(this.now(), `connection ${id} closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`);
      if (link === this.replacing) this.replacing = undefined;
      if (link !== this.active || this.stopped) return;
      this.active = undefined;
      this.status('disconnected', `connection ${id} closed (${code})`);
      this.scheduleReconnect();
    });
    return link;
  }

  private sinkFor(link: () => Link): SessionSink {
    return {
      event: (event) => {
        const current = link();
        if (event.type === 'status' && event.symbol !== null) {
          if (event.state === 'live') current.liveBooks.add(event.symbol);
          else current.liveBooks.delete(event.symbol);
        }
        if (current === this.replacing) current.held.push(event);
        else if (current === this.active) this.forward(event);
        // Events of a link already replaced are dropped: its successor carries the stream.
      },
      send: (text) => {
        this.sendLimited(link(), text);
      },
      request: (request) => {
        this.makeRequest(request, link);
      },
      account: (outcome, kind) => {
        const counts = this.stats.outcomes[outcome];
        counts[kind] = (counts[kind] ?? 0) + 1;
      },
      replaceConnection: (reason) => {
        this.replace(reason);
      },
    };
  }

  /**
   * Sends within the venue's client message rate (maxMessagesPerSecond): beyond it messages wait
   * in order on the link, so a burst of subscriptions never gets the connection cut by the venue.
   */
  private sendLimited(link: Link, text: string): void {
    const perSecond = this.options.adapter.maxMessagesPerSecond;
    if (perSecond === undefined) {
      this.write(link, text);
      return;
    }
    link.outbox.push(text);
    this.drainOutbox(link, perSecond);
  }

  private drainOutbox(link: Link, perSecond: number): void {
    if (link.drainTimer !== undefined) return;
    const now = Date.now();
    while (link.sentTimes.length > 0 && now - (link.sentTimes[0] ?? 0) >= 1000) link.sentTimes.shift();
    while (link.outbox.length > 0 && link.sentTimes.length < perSecond) {
      link.sentTimes.push(now);
      this.write(link, link.outbox.shift() as string);
    }
    if (link.outbox.length === 0) return;
    const wait = 1000 - (now - (link.sentTimes[0] ?? now)) + 1;
    link.drainTimer = setTimeout(() => {
      link.drainTimer = undefined;
      link.timers.delete(timer);
      this.drainOutbox(link, perSecond);
    }, wait);
    const timer = link.drainTimer;
    link.timers.add(timer);
  }

  private write(link: Link, text: string): void {
    if (link.socket.readyState !== WebSocket.OPEN) return;
    link.lastSent = Date.now();
    link.socket.send(text);
  }

  /** Heartbeat: client pings if the venue wants them, and a dead-upstream check. */
  private watch(link: Link): void {
    const policy = this.options.adapter.heartbeat;
    const deadAfter = policy.expectedIntervalMs * (this.options.deadAfterIntervals ?? 3);
    const check = setInterval(
      () => {
        const silent = Date.now() - link.lastReceived;
        if (silent > deadAfter) {
          this.stats.deadDeclared++;
          this.status('stale', `connection ${link.id}: nothing received for ${silent} ms`);
          link.socket.terminate();
        }
      },
      Math.max(10, Math.floor(policy.expectedIntervalMs / 4)),
    );
    link.timers.add(check);
    const clientPing = policy.clientPing;
    if (clientPing !== undefined) {
      const ping = setInterval(
        () => {
          if (Date.now() - link.lastSent >= clientPing.intervalMs && link.socket.readyState === WebSocket.OPEN) {
            link.lastSent = Date.now();
            link.socket.send(clientPing.text);
          }
        },
        Math.max(10, Math.floor(clientPing.intervalMs / 4)),
      );
      link.timers.add(ping);
    }
    const healthy = setTimeout(() => {
      this.backoff.reset();
    }, this.options.healthyAfterMs ?? 30_000);
    link.timers.add(healthy);
    const lifetime = this.options.adapter.maxConnectionLifetimeMs;
    if (lifetime !== undefined) {
      const margin = this.options.lifetimeMarginMs ?? 300_000;
      const renew = setTimeout(
        () => {
          this.replace('connection lifetime limit ahead');
        },
        Math.max(0, lifetime - margin),
      );
      link.timers.add(renew);
    }
  }

  /** Opens the replacement now; the old link stays until the new one carries data. */
  private replace(reason: string): void {
    if (this.stopped || this.replacing !== undefined) return;
    this.stats.replacements++;
    this.status('live', `replacing the connection: ${reason}`);
    const replacement = this.connect();
    this.replacing = replacement;
    // Take over after a bound even if some book never syncs on the new link (it resyncs there).
    const deadline = setTimeout(() => {
      if (this.replacing === replacement) this.promoteReplacement();
    }, 30_000);
    replacement.timers.add(deadline);
  }

  /** A replacement is ready once every wanted book is live on it (or, without books, once it has data). */
  private isReady(link: Link): boolean {
    return this.wanted.every((s) => s.channel !== 'book' || link.liveBooks.has(s.symbol));
  }

  /**
   * The replacement takes over: its held events go out (a fresh book snapshot per symbol, then
   * its deltas; trades the old link already delivered are dropped by id), and the old link closes.
   */
  private promoteReplacement(): void {
    const next = this.replacing;
    if (next === undefined) return;
    const old = this.active;
    this.active = next;
    this.replacing = undefined;
    for (const event of next.held.splice(0)) this.forward(event);
    if (old !== undefined) void this.shutdown(old, 'replaced');
  }

  private forward(event: MarketEvent): void {
    if (event.type === 'trade') {
      const key = `${event.symbol} ${event.tradeId}`;
      if (this.recentTrades.has(key)) return;
      this.recentTrades.add(key);
      if (this.recentTrades.size > RECENT_TRADES) {
        const oldest = this.recentTrades.values().next().value;
        if (oldest !== undefined) this.recentTrades.delete(oldest);
      }
    }
    this.options.onEvent(event);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.stats.reconnects++;
    this.status('connecting', `reconnecting in ${delay} ms (attempt ${this.backoff.attempts})`);
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped) this.active = this.connect();
    }, delay);
  }

  /**
   * One request per URL at a time, at least `requestSpacingMs` apart (doubling after each failure):
   * a session that keeps asking (e.g. a snapshot older than the stream, refetched) cannot hammer
   * the venue's REST limits. Every link that asked while a request was pending gets the answer,
   * if it is still current: a reconnect's fresh session must not lose its snapshot to the old one.
   */
  private makeRequest(request: HttpRequest, link: () => Link): void {
    const entry = this.requestTimers.get(request.url) ?? { timer: undefined, failures: 0, lastAt: 0, waiting: [] };
    this.requestTimers.set(request.url, entry);
    const asking = link();
    if (!entry.waiting.includes(asking)) entry.waiting.push(asking);
    if (entry.timer !== undefined) return;
    const spacing = (this.options.requestSpacingMs ?? 1000) * 2 ** Math.min(entry.failures, 6);
    const delay = Math.max(0, entry.lastAt + spacing - Date.now());
    const deliver = (status: number, body: string): void => {
      entry.timer = undefined;
      const waiting = entry.waiting.splice(0);
      if (this.stopped) return;
      for (const target of waiting) {
        if (target === this.active || target === this.replacing) {
          target.session.handleHttp(request.url, status, body, this.now());
        }
      }
    };
    entry.timer = setTimeout(() => {
      entry.lastAt = Date.now();
      this.stats.httpRequests++;
      this.fetchText(request.url).then(
        (response) => {
          entry.failures = response.status === 200 ? 0 : entry.failures + 1;
          if (response.status !== 200) this.stats.httpFailures++;
          deliver(response.status, response.body);
        },
        (error: unknown) => {
          entry.failures++;
          this.stats.httpFailures++;
          deliver(0, error instanceof Error ? error.message : String(error));
        },
      );
    }, delay);
  }

  private async shutdown(link: Link, reason: string): Promise<void> {
    this.clearTimers(link);
    if (link.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => link.socket.once('close', () => resolve()));
    if (link.socket.readyState === WebSocket.CONNECTING) link.socket.terminate();
    else link.socket.close(1000, reason);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        link.socket.terminate();
        resolve();
      }, 2000);
      timer.unref();
    });
    await Promise.race([closed, timeout]);
    clearTimeout(timer);
  }

  private clearTimers(link: Link): void {
    for (const timer of link.timers) clearTimeout(timer);
    link.timers.clear();
  }

  private status(state: FeedStatusEvent['state'], reason: string): void {
    this.options.onEvent({
      type: 'status',
      venue: this.options.adapter.venue,
      symbol: null,
      state,
      reason,
      receiveTime: this.now(),
    });
  }
}

function same(a: UpstreamSubscription, b: UpstreamSubscription): boolean {
  return a.symbol === b.symbol && a.channel === b.channel;
}

function toText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

async function defaultFetchText(url: string): Promise<HttpResponse> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}
