/** The terminal's one door to the typed client SDK (`@tickwire/sdk`, feeds/src/sdk). */
export {
  type BookOptions,
  type BookView,
  type ChannelMessage,
  type ClientStats,
  type ConnectionState,
  type ConnectionStatus,
  TickwireClient,
  type TickwireClientOptions,
} from '@tickwire/sdk';
