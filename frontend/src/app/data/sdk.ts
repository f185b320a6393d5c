/**
 * The terminal's one door to the typed client SDK (`@tickwire/sdk`, feeds/src/sdk). The workspace
 * has no `@tickwire/sdk` path alias yet, so it is reached through `@tickwire/feeds/sdk`; when the
 * alias lands only this file changes.
 */
export {
  type BookOptions,
  type BookView,
  type ChannelMessage,
  type ClientStats,
  type ConnectionState,
  type ConnectionStatus,
  TickwireClient,
  type TickwireClientOptions,
} from '@tickwire/feeds/sdk';
