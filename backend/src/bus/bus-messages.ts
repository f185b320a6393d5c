import type { SubscribeRequest, WireInstrument } from '@tickwire/feeds';

/** A gateway's channels, announced on INTEREST_SUBJECT and refreshed while its clients want them. */
export interface InterestMessage {
  readonly gateway: string;
  readonly subscriptions: readonly SubscribeRequest[];
}

/** An ingest's instruments, on CATALOG_SUBJECT. */
export interface CatalogMessage {
  readonly ingest: string;
  readonly instruments: readonly WireInstrument[];
}

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
