import CRC32 from 'crc-32';

/** [price, qty] as wire text. */
export type TextLevel = readonly [price: string, qty: string];

/**
 * Kraken's book checksum written out again from the guide, independently of book/checksum.ts: top
 * 10 asks low to high, then top 10 bids high to low; price and qty with "." removed, then leading
 * zeros removed; CRC32 as an unsigned 32-bit integer.
 */
export function independentChecksum(bids: readonly TextLevel[], asks: readonly TextLevel[]): number {
  const field = (text: string): string => text.replace('.', '').replace(/^0+/, '');
  const text = [...asks.slice(0, 10), ...bids.slice(0, 10)].map(([p, q]) => field(p) + field(q)).join('');
  return CRC32.str(text) >>> 0;
}

/** Levels as v2 writes them: {"price":45285.2,"qty":0.00100000}, the wire text as a bare number. */
export function v2Levels(levels: readonly TextLevel[]): string {
  return `[${levels.map(([price, qty]) => `{"price":${price},"qty":${qty}}`).join(',')}]`;
}

const V2_TIME = '2021-04-17T16:48:53.000000Z';

/**
 * A recorded v1 book frame rewritten as the v2 frame carrying the same book data: pair names
 * with BTC for XBT, prices and quantities as bare JSON numbers with the wire text unchanged, the
 * venue's update checksum as is. v1 snapshots carry no checksum; the v2 one gets the independent
 * checksum of its top levels (a snapshot lists asks ascending and bids descending already).
 * Heartbeats become v2 heartbeats; other frames are left out (undefined).
 */
export function v2FromV1(frame: string): string | undefined {
  if (frame === '{"event":"heartbeat"}') return '{"channel":"heartbeat"}';
  const parsed = JSON.parse(frame) as unknown;
  if (!Array.isArray(parsed)) return undefined;
  const parts = parsed as unknown[];
  const symbol = String(parts.at(-1)).replace('XBT', 'BTC');
  const payloads = parts.slice(1, -2) as Record<string, string[][] | string | undefined>[];
  const levels = (value: string[][] | string | undefined): TextLevel[] =>
    Array.isArray(value) ? value.map((level): TextLevel => [level[0] ?? '', level[1] ?? '']) : [];
  const first = payloads[0] ?? {};
  if ('as' in first || 'bs' in first) {
    const bids = levels(first['bs']);
    const asks = levels(first['as']);
    return (
      `{"channel":"book","type":"snapshot","data":[{"symbol":"${symbol}","bids":${v2Levels(bids)},` +
      `"asks":${v2Levels(asks)},"checksum":${independentChecksum(bids, asks)}}]}`
    );
  }
  const bids = payloads.flatMap((payload) => levels(payload['b']));
  const asks = payloads.flatMap((payload) => levels(payload['a']));
  const checksum = payloads.map((payload) => payload['c']).find((c) => typeof c === 'string');
  return (
    `{"channel":"book","type":"update","data":[{"symbol":"${symbol}","bids":${v2Levels(bids)},` +
    `"asks":${v2Levels(asks)},"checksum":${String(checksum)},"timestamp":"${V2_TIME}"}]}`
  );
}
