/**
 * Prints a live book and the trades of one instrument from a running gateway, through the SDK:
 *   npx tsx feeds/src/sdk-examples/print-book-and-trades.ts [ws://127.0.0.1:8080/api/v1/stream] [simulated:BTC-USDT] [seconds]
 */
import WebSocket from 'ws';
import { TickwireClient } from '../sdk';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080/api/v1/stream';
const instrument = process.argv[3] ?? 'simulated:BTC-USDT';
const seconds = Number(process.argv[4] ?? 0);

const client = new TickwireClient({ urls: [url], WebSocket });

client.connectionState$.subscribe((state) => {
  process.stdout.write(`[connection ${state.status}] ${state.url}\n`);
});

client.book(instrument, { depth: 5, intervalMs: 500 }).subscribe({
  next: (book) => {
    const lines = [`${instrument} book, seq ${book.seq}${book.conflated === true ? ' (conflated)' : ''}`];
    for (const [price, size] of [...book.asks].reverse()) lines.push(`  ask ${price.padStart(14)}  ${size}`);
    for (const [price, size] of book.bids) lines.push(`  bid ${price.padStart(14)}  ${size}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
  error: (error: unknown) => {
    process.stderr.write(`book: ${String(error)}\n`);
  },
});

client.trades(instrument).subscribe({
  next: (message) => {
    if (message.type !== 'update') return;
    for (const trade of message.data)
      process.stdout.write(`trade ${trade.side.padEnd(7)} ${trade.size} @ ${trade.price}\n`);
  },
  error: (error: unknown) => {
    process.stderr.write(`trades: ${String(error)}\n`);
  },
});

const stop = (): void => {
  void client.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
if (seconds > 0) setTimeout(stop, seconds * 1000);
