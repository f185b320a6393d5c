/** The Bus (NatsBus), or null with the in-process default (no bus needed). */
export const BUS = Symbol('BUS');
/** FeedOwnership (leases of feeds), or null when this process owns every feed it runs. */
export const FEED_OWNERSHIP = Symbol('FEED_OWNERSHIP');
/** A RemoteChannelSource in the gateway role, or null: channel streams are then local. */
export const REMOTE_CHANNELS = Symbol('REMOTE_CHANNELS');
