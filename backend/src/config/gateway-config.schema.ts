import { ADAPTER_VENUES, BOOK_DEPTH_MAX, CANDLE_INTERVALS } from '@tickwire/feeds';
import { z } from 'zod';

/**
 * The gateway's configuration, validated at start-up (a JSON file named by TICKWIRE_CONFIG, then
 * TICKWIRE_* environment variables on top; see load-config.ts and docs/configuration.md).
 */

const symbol = z.string().regex(/^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/, 'a normalized symbol BASE-QUOTE, e.g. BTC-USDT');
const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().positive();
const speed = z.union([z.literal('max'), z.number().positive().max(10_000)]);

/** A live venue over its real public endpoints (or `ws`/`rest` given, e.g. a virtual exchange). */
const liveFeed = z.strictObject({
  kind: z.literal('live'),
  venue: z.enum(ADAPTER_VENUES as [string, ...string[]]),
  /** Instruments listed to clients; those in `pinned` stream from start-up, others on demand. */
  symbols: z.array(symbol).min(1),
  pinned: z.array(symbol).default([]),
  ws: z.url().optional(),
  rest: z.url().optional(),
});

/** The seeded simulated venue, served in-process over loopback in Binance's (crypto) or Alpaca's (stocks) protocol. */
const simulatedFeed = z.strictObject({
  kind: z.literal('simulated'),
  protocol: z.enum(['binance', 'alpaca']).default('binance'),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  messagesPerSecond: z.number().positive().max(1_000_000).default(200),
  /** Extra generated symbols SIM001-USDT... (binance protocol only). */
  generatedSymbols: z.number().int().min(0).max(5000).default(0),
  pinned: z.boolean().default(true),
});

/**
 * A recording (Tickwire's format or a ../shared/recordings capture, whose `-rest-depth` companion file
 * is merged by time) served through the in-process virtual exchange.
 */
const replayFeed = z.strictObject({
  kind: z.literal('replay'),
  file: z.string().min(1),
  venue: z.enum(['binance', 'binance-usdm', 'kraken', 'okx', 'coinbase', 'bitfinex']),
  symbols: z.array(symbol).min(1),
  speed: speed.default(1),
  /**
   * true: every symbol is subscribed at start-up, so the replay starts at once; false: the replay
   * starts with the first client subscription (tests that must see it from its first frame).
   */
  pinned: z.boolean().default(true),
});

export const feedConfigSchema = z.discriminatedUnion('kind', [liveFeed, simulatedFeed, replayFeed]);

export const limitsSchema = z.strictObject({
  /** Largest client message in bytes; larger → close 1009. Far below ws's 100 MiB default. */
  maxPayloadBytes: positiveInt.max(1_048_576).default(16_384),
  maxSubscriptionsPerConnection: positiveInt.max(10_000).default(200),
  /** Client messages per second (sustained), and the burst allowed above it; breach → close 4008. */
  maxMessagesPerSecond: positiveInt.max(10_000).default(20),
  messageBurst: positiveInt.max(10_000).default(100),
  maxConnectionsPerAddress: positiveInt.max(100_000).default(50),
  /** A socket not authenticated within this long (when auth is on) is closed with 1008. */
  authTimeoutMs: positiveInt.max(60_000).default(5000),
  /** Above this many unsent bytes a subscriber gets conflated snapshots instead of updates. */
  softBufferedBytes: positiveInt.default(1_048_576),
  /** Above this many unsent bytes a subscriber is closed with 4009. */
  hardBufferedBytes: positiveInt.default(8_388_608),
  maxBookDepth: positiveInt.max(BOOK_DEPTH_MAX).default(BOOK_DEPTH_MAX),
  heartbeatMs: positiveInt.max(60_000).default(5000),
});

export const authSchema = z.strictObject({
  /** When true, every WebSocket needs a valid API key or ticket; REST reads stay public. */
  required: z.boolean().default(false),
  apiKeys: z.array(z.string().min(16, 'API keys are at least 16 characters')).default([]),
  /** Browser Origins allowed to open the stream (exact match, e.g. https://terminal.example.com); empty: any. */
  allowedOrigins: z.array(z.string().min(1)).default([]),
  ticketTtlMs: positiveInt.max(300_000).default(30_000),
});

/** Serve https:// and wss:// with this certificate and key (PEM files, reloaded when they change). */
export const tlsSchema = z.strictObject({
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
});

/**
 * Behind a reverse proxy: trust its X-Forwarded-For for the client address (per-address limits)
 * and X-Forwarded-Proto. Off by default: a client could otherwise claim any address.
 */
export const proxySchema = z.strictObject({
  trusted: z.boolean().default(false),
});

/**
 * How ingest and gateway parts meet. `in-process` (the default): one process does both, channel
 * streams go straight to its clients. `nats`: ingest processes publish channel streams on NATS and
 * gateway processes relay them to their clients (backend/src/bus, README "Scale-out on NATS").
 */
export const busSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('in-process') }),
  z.strictObject({
    kind: z.literal('nats'),
    /** NATS server URL(s), comma-separated, e.g. nats://127.0.0.1:4222. */
    url: z.string().regex(/^(nats|tls):\/\/[^\s]+$/, 'a NATS URL such as nats://127.0.0.1:4222'),
    /** ingest: feeds and channel streams; gateway: client connections; both: the two in one process. */
    role: z.enum(['ingest', 'gateway', 'both']).default('both'),
    /** A feed's lease (JetStream KV) lapses this long after its owner's last renewal; a standby then takes over. */
    leaseTtlMs: positiveInt.min(1000).max(60_000).default(3000),
    /** An ingest drops a channel no gateway has announced interest in for this long. */
    interestTtlMs: positiveInt.min(1000).max(60_000).default(5000),
  }),
]);

export const gatewayConfigSchema = z.strictObject({
  listen: z
    .strictObject({ host: z.string().min(1).default('127.0.0.1'), port: port.default(8080) })
    .default({ host: '127.0.0.1', port: 8080 }),
  /**
   * Feeds to run. `auto` (the default): the public live venues that answer within a few seconds,
   * else the simulated venue.
   */
  feeds: z.union([z.literal('auto'), z.array(feedConfigSchema).min(1)]).default('auto'),
  limits: limitsSchema.default(limitsSchema.parse({})),
  auth: authSchema.default(authSchema.parse({})),
  tls: tlsSchema.optional(),
  proxy: proxySchema.default({ trusted: false }),
  /** Candles kept per instrument and interval for history. */
  candleHistory: positiveInt.max(100_000).default(1000),
  /** Trades kept per instrument for the snapshot and REST. */
  recentTrades: positiveInt.max(10_000).default(200),
  intervals: z.array(z.enum(CANDLE_INTERVALS)).default([...CANDLE_INTERVALS]),
  bus: busSchema.default({ kind: 'in-process' }),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type FeedConfig = z.infer<typeof feedConfigSchema>;
export type LiveFeedConfig = z.infer<typeof liveFeed>;
export type SimulatedFeedConfig = z.infer<typeof simulatedFeed>;
export type ReplayFeedConfig = z.infer<typeof replayFeed>;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type TlsConfig = z.infer<typeof tlsSchema>;
export type BusConfig = z.infer<typeof busSchema>;
export type NatsBusConfig = Extract<BusConfig, { kind: 'nats' }>;
