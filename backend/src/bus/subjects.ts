/** Subjects of Tickwire's bus protocol v1. */
const PREFIX = 'tickwire.v1';

/** A NATS-safe single subject token for a channel key (`book simulated:BTC-USDT 20 100`): base64url. */
export function channelToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** A channel stream's update bytes, as the owning ingest serialized them. */
export const updateSubject = (key: string): string => `${PREFIX}.ch.${channelToken(key)}`;
/** Request/reply: the stream's snapshot bytes at the ingest's current seq. */
export const snapshotSubject = (key: string): string => `${PREFIX}.snap.${channelToken(key)}`;
export const SNAPSHOT_SUBJECTS = `${PREFIX}.snap.*`;
/** Gateways announce, and refresh, the channels their clients want. */
export const INTEREST_SUBJECT = `${PREFIX}.interest`;
/** Ingests publish the instruments they serve; a gateway asks for them on start. */
export const CATALOG_SUBJECT = `${PREFIX}.catalog`;
export const CATALOG_WANTED_SUBJECT = `${PREFIX}.catalog.wanted`;

/** Headers of an update or snapshot: the channel's seq and the ingest stream's incarnation. */
export const SEQ_HEADER = 'Tw-Seq';
export const EPOCH_HEADER = 'Tw-Epoch';
export const RECEIVE_TIME_HEADER = 'Tw-Rt';
