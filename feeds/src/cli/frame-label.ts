/*
 * Names the stream a raw venue frame belongs to, for `tickwire inspect`, from the frame alone:
 * it must work for any recording, including venues without an adapter (e.g. the Bybit v1
 * captures), so it reads the common envelope fields rather than one venue's protocol.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function field(value: Json | undefined, key: string): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
}

function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A label such as "btcusdt@depth@100ms", "book-1000:XBT/USD", "books:BTC-USDT", "event:heartbeat". */
export function labelFrame(parsed: unknown): string {
  const frame = parsed as Json;
  if (Array.isArray(frame)) return labelArray(frame);
  if (frame === null || typeof frame !== 'object') return 'other';
  const stream = text(field(frame, 'stream')) ?? text(field(frame, 'topic'));
  if (stream !== undefined) return stream;
  const arg = field(frame, 'arg');
  const event = text(field(frame, 'event'));
  if (arg !== undefined) {
    const channel = text(field(arg, 'channel')) ?? '?';
    const instrument = text(field(arg, 'instId')) ?? text(field(arg, 'instType'));
    const name = instrument === undefined ? channel : `${channel}:${instrument}`;
    return event === undefined ? name : `event:${event} ${name}`;
  }
  if (event !== undefined) return `event:${event}`;
  const type = text(field(frame, 'type')) ?? text(field(frame, 'e'));
  const product = text(field(frame, 'product_id')) ?? text(field(frame, 's'));
  if (type !== undefined) return product === undefined ? type : `${type}:${product}`;
  return 'other';
}

/** Kraken v1 `[channelID, ..., channelName, pair]`, Bitfinex `[chanId, ...]`. */
function labelArray(frame: Json[]): string {
  const last = frame[frame.length - 1];
  const beforeLast = frame[frame.length - 2];
  if (frame.length >= 4 && typeof last === 'string' && typeof beforeLast === 'string') return `${beforeLast}:${last}`;
  const channel = text(frame[0]);
  if (channel === undefined) return 'array';
  return frame[1] === 'hb' ? `channel ${channel} heartbeat` : `channel ${channel}`;
}
