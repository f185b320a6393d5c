import { createAdapter, isAdapterVenue, ADAPTER_VENUES } from '../adapters/create-adapter';
import type { ChannelKind, UpstreamSubscription } from '../adapters/venue-adapter';
import { OrderBook } from '../book';
import type { MarketEvent } from '../model/events';
import { UpstreamConnection } from '../upstream/upstream-connection';

export interface StreamCommandOptions {
  readonly venue: string;
  readonly symbols: readonly string[];
  readonly channels: readonly string[];
  readonly ws?: string;
  readonly rest?: string;
  readonly durationSeconds?: number;
  readonly format: 'ndjson' | 'summary';
}

const CHANNELS: readonly ChannelKind[] = ['book', 'trades', 'bbo'];

/**
 * `tickwire stream`: connects to a venue (its real public endpoint by default, or --ws/--rest, e.g.
 * the virtual exchange) and prints normalized, verified events: NDJSON, or a once-a-second summary.
 */
export async function streamCommand(options: StreamCommandOptions): Promise<number> {
  if (!isAdapterVenue(options.venue)) {
    process.stderr.write(`tickwire stream: unknown venue ${options.venue}; one of ${ADAPTER_VENUES.join(', ')}\n`);
    return 2;
  }
  const channels = options.channels.filter((c): c is ChannelKind => (CHANNELS as readonly string[]).includes(c));
  if (channels.length !== options.channels.length || channels.length === 0) {
    process.stderr.write(`tickwire stream: channels are ${CHANNELS.join(', ')}\n`);
    return 2;
  }
  const adapter = createAdapter(
    options.venue,
    {
      ...(options.ws === undefined ? {} : { ws: options.ws }),
      ...(options.rest === undefined ? {} : { rest: options.rest }),
    },
    process.env,
  );
  const subscriptions: UpstreamSubscription[] = options.symbols.flatMap((symbol) =>
    channels.map((channel) => ({ symbol, channel })),
  );
  const books = new Map<string, OrderBook>();
  const trades = new Map<string, number>();
  const onEvent = (event: MarketEvent): void => {
    if (event.type === 'status') {
      process.stderr.write(
        `${event.venue}${event.symbol === null ? '' : `:${event.symbol}`} ${event.state}: ${event.reason}\n`,
      );
    }
    if (options.format === 'ndjson') {
      if (event.type !== 'status') process.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (event.type === 'book_snapshot' || event.type === 'book_delta') {
      const book = books.get(event.symbol) ?? new OrderBook();
      books.set(event.symbol, book);
      book.applyEvent(event);
    } else if (event.type === 'trade') {
      trades.set(event.symbol, (trades.get(event.symbol) ?? 0) + 1);
    }
  };
  const upstream = new UpstreamConnection({ adapter, subscriptions, onEvent });
  const summary =
    options.format === 'summary'
      ? setInterval(() => {
          for (const symbol of options.symbols) {
            const book = books.get(symbol);
            const bid = book?.bestBid();
            const ask = book?.bestAsk();
            process.stdout.write(
              `${symbol}  bid ${bid ? `${bid.size} @ ${bid.price}` : '-'}  ask ${ask ? `${ask.size} @ ${ask.price}` : '-'}  trades ${trades.get(symbol) ?? 0}\n`,
            );
          }
        }, 1000)
      : undefined;
  upstream.start();
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (options.durationSeconds !== undefined) setTimeout(stop, options.durationSeconds * 1000).unref();
  });
  clearInterval(summary);
  await upstream.stop();
  return 0;
}
