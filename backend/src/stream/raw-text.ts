import type WebSocket from 'ws';

/** The text of a received ws message (a Buffer, an ArrayBuffer or fragments). */
export function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
