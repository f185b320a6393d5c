import { millisToMicros } from '../model/time';
import { createSimulatedStocks, createSimulatedVenue, type VolatilityMode } from '../simulator';
import { alpacaDialect } from '../virtual-exchange/alpaca';
import { binanceDialect } from '../virtual-exchange/binance';
import { createVirtualExchange } from '../virtual-exchange/exchange';
import type { Speed } from '../virtual-exchange/timeline';

export interface SimulateCommandOptions {
  /** binance (crypto, default) or alpaca (US stocks: AAPL, MSFT, NVDA, SPY). */
  readonly venue: 'binance' | 'alpaca';
  readonly seed: number;
  readonly rate: number;
  readonly generated: number;
  readonly volatility: VolatilityMode;
  readonly speed: Speed;
  readonly host: string;
  readonly port: number;
  /** Simulated start time in epoch µs; default: now, so timestamps look live. */
  readonly startTime?: number;
}

/**
 * `tickwire simulate`: the seeded simulated venue served in Binance's spot protocol (WebSocket
 * streams and REST depth/exchangeInfo) until Ctrl-C. Same seed, options and start time: same stream.
 */
export async function simulateCommand(options: SimulateCommandOptions): Promise<number> {
  const startTime = options.startTime ?? millisToMicros(Date.now());
  const stocks = options.venue === 'alpaca';
  const source = stocks
    ? createSimulatedStocks({
        seed: options.seed,
        messagesPerSecond: options.rate,
        volatility: options.volatility,
        startTime,
      })
    : createSimulatedVenue({
        seed: options.seed,
        messagesPerSecond: options.rate,
        generatedSymbols: options.generated,
        volatility: options.volatility,
        startTime,
      });
  const exchange = await createVirtualExchange({
    dialect: stocks ? alpacaDialect() : binanceDialect({ market: 'spot' }),
    source,
    host: options.host,
    port: options.port,
    speed: options.speed,
    startOn: 'manual',
  });
  exchange.start();
  process.stdout.write(
    stocks
      ? `simulated stocks (Alpaca protocol), seed ${options.seed}, ${options.rate} msgs/s\n` +
          `  WebSocket: ${exchange.url('/v2/iex')}\n  key AKVIRTUAL, secret virtual-secret\n  Ctrl-C stops\n`
      : `simulated venue (Binance spot protocol), seed ${options.seed}, ${options.rate} msgs/s\n` +
          `  WebSocket: ${exchange.url('/stream?streams=btcusdt@depth@100ms/btcusdt@trade')}\n` +
          `  REST:      ${exchange.httpUrl('/api/v3/depth?symbol=BTCUSDT&limit=20')}\n  Ctrl-C stops\n`,
  );
  const stop = (): void => {
    void exchange.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const report = setInterval(() => {
    const stats = exchange.stats();
    process.stderr.write(`simulate: ${stats.framesPublished} frames published, ${stats.connectionsOpen} clients\n`);
  }, 10_000);
  report.unref();
  try {
    await exchange.finished.catch(() => undefined);
    return 0;
  } finally {
    clearInterval(report);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await exchange.close();
  }
}
