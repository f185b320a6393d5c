import {
  API_STREAM_PATH,
  API_SUBPROTOCOL,
  BOOK_DEPTH_DEFAULT,
  BOOK_DEPTH_MAX,
  BOOK_INTERVAL_DEFAULT_MS,
  BOOK_INTERVAL_MAX_MS,
  BOOK_INTERVAL_MIN_MS,
  CANDLE_INTERVALS,
  CHANNELS,
  CLOSE_CODES,
  ERROR_CODES,
} from '@tickwire/feeds';

const decimal = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?$', description: 'canonical decimal' };
const level = { type: 'array', items: [decimal, decimal], minItems: 2, maxItems: 2, description: '[price, size]' };
const micros = { type: 'integer', description: 'epoch microseconds' };
const channelHeader = {
  channel: { type: 'string', enum: CHANNELS },
  instrument: { type: 'string', example: 'simulated:BTC-USDT' },
  params: { type: 'object' },
  seq: { type: 'integer', minimum: 0, description: 'per-channel sequence: snapshot = current, each update + 1' },
};

/**
 * The AsyncAPI 3.0 description of the subscription stream, built from the same constants the
 * gateway and SDK use, so it cannot drift from them. Served at /api/v1/asyncapi.json.
 */
export function asyncApiDocument(): Record<string, unknown> {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Tickwire subscription API',
      version: '1.0.0',
      description: `Market data over WebSocket (subprotocol ${API_SUBPROTOCOL}); see docs/api.md. Close codes: ${Object.entries(
        CLOSE_CODES,
      )
        .map(([name, code]) => `${code} ${name}`)
        .join(', ')}.`,
    },
    servers: { gateway: { host: 'localhost:8080', protocol: 'ws', pathname: API_STREAM_PATH } },
    channels: {
      stream: {
        address: API_STREAM_PATH,
        messages: {
          subscribe: { $ref: '#/components/messages/subscribe' },
          unsubscribe: { $ref: '#/components/messages/unsubscribe' },
          ping: { $ref: '#/components/messages/ping' },
          auth: { $ref: '#/components/messages/auth' },
          ack: { $ref: '#/components/messages/ack' },
          snapshot: { $ref: '#/components/messages/snapshot' },
          update: { $ref: '#/components/messages/update' },
          heartbeat: { $ref: '#/components/messages/heartbeat' },
          pong: { $ref: '#/components/messages/pong' },
          error: { $ref: '#/components/messages/error' },
        },
      },
    },
    operations: {
      sendRequests: {
        action: 'receive',
        channel: { $ref: '#/channels/stream' },
        messages: ['subscribe', 'unsubscribe', 'ping', 'auth'].map((name) => ({
          $ref: `#/channels/stream/messages/${name}`,
        })),
      },
      receiveMarketData: {
        action: 'send',
        channel: { $ref: '#/channels/stream' },
        messages: ['ack', 'snapshot', 'update', 'heartbeat', 'pong', 'error'].map((name) => ({
          $ref: `#/channels/stream/messages/${name}`,
        })),
      },
    },
    components: {
      schemas: { decimal, level, micros },
      messages: {
        subscribe: {
          payload: {
            type: 'object',
            required: ['op', 'channel'],
            additionalProperties: false,
            properties: {
              op: { const: 'subscribe' },
              id: { type: 'integer' },
              channel: { type: 'string', enum: CHANNELS },
              instrument: { type: 'string', description: 'venue:SYMBOL; absent for instruments' },
              depth: { type: 'integer', minimum: 1, maximum: BOOK_DEPTH_MAX, default: BOOK_DEPTH_DEFAULT },
              intervalMs: {
                type: 'integer',
                description: `0 or ${BOOK_INTERVAL_MIN_MS}..${BOOK_INTERVAL_MAX_MS}; book default ${BOOK_INTERVAL_DEFAULT_MS}, bbo default 0`,
              },
              interval: { type: 'string', enum: CANDLE_INTERVALS, default: '1m' },
            },
          },
        },
        unsubscribe: {
          payload: { type: 'object', required: ['op', 'channel'], properties: { op: { const: 'unsubscribe' } } },
        },
        ping: {
          payload: { type: 'object', required: ['op'], properties: { op: { const: 'ping' }, id: { type: 'integer' } } },
        },
        auth: {
          payload: {
            type: 'object',
            required: ['op', 'token'],
            properties: { op: { const: 'auth' }, token: { type: 'string' } },
          },
        },
        ack: {
          payload: {
            type: 'object',
            properties: { type: { const: 'ack' }, id: { type: 'integer' }, op: { type: 'string' } },
          },
        },
        snapshot: {
          payload: {
            type: 'object',
            properties: {
              type: { const: 'snapshot' },
              ...channelHeader,
              data: {},
              conflated: { const: true },
              skipped: { type: 'integer' },
            },
          },
        },
        update: { payload: { type: 'object', properties: { type: { const: 'update' }, ...channelHeader, data: {} } } },
        heartbeat: { payload: { type: 'object', properties: { type: { const: 'heartbeat' }, time: micros } } },
        pong: {
          payload: { type: 'object', properties: { type: { const: 'pong' }, id: { type: 'integer' }, time: micros } },
        },
        error: {
          payload: {
            type: 'object',
            properties: {
              type: { const: 'error' },
              id: { type: 'integer' },
              code: { type: 'string', enum: ERROR_CODES },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  };
}
