/*
 * Advanced Trade frames written from the channel documentation
 * (docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels and the
 * AsyncAPI pages under docs.cdp.coinbase.com/api-reference/advanced-trade-api/websocket): the
 * envelope {channel, client_id, timestamp, sequence_num, events}, l2_data snapshot/update events
 * with {side: bid|offer, event_time, price_level, new_quantity}, market_trades {trade_id,
 * product_id, price, size, side: BUY|SELL, time}, ticker {best_bid, best_bid_quantity, ...} and
 * heartbeats {current_time, heartbeat_counter}. No real Advanced Trade capture exists.
 */

export type L2Row = readonly [side: 'bid' | 'offer', price: string, quantity: string];

export interface TradeRow {
  readonly id: string;
  readonly product: string;
  readonly price: string;
  readonly size: string;
  readonly side: 'BUY' | 'SELL';
  readonly time?: string;
}

/** Builds numbered frames of one connection; sequence_num starts at 0 like the docs' examples. */
export class AdvancedTradeFrames {
  private next = 0;
  private clock = Date.UTC(2023, 1, 9, 20, 32, 50) * 1000;

  /** The sequence_num the next frame will carry. */
  get sequence(): number {
    return this.next;
  }

  /** Skips numbers as if the venue sent frames that never arrived. */
  lose(count: number): void {
    this.next += count;
  }

  envelope(channel: string, events: readonly unknown[], sequence = this.next++): string {
    this.clock += 1234;
    return JSON.stringify({
      channel,
      client_id: '',
      timestamp: `${isoSeconds(this.clock)}.${String(this.clock % 1_000_000).padStart(6, '0')}855Z`,
      sequence_num: sequence,
      events,
    });
  }

  subscriptions(subscriptions: Record<string, string[]>): string {
    return this.envelope('subscriptions', [{ subscriptions }]);
  }

  l2(events: readonly { type: 'snapshot' | 'update'; product: string; rows: readonly L2Row[] }[]): string {
    return this.envelope(
      'l2_data',
      events.map(({ type, product, rows }) => ({
        type,
        product_id: product,
        updates: rows.map(([side, price, quantity]) => ({
          side,
          event_time: type === 'snapshot' ? '1970-01-01T00:00:00Z' : '2023-02-09T20:32:50.714964Z',
          price_level: price,
          new_quantity: quantity,
        })),
      })),
    );
  }

  trades(type: 'snapshot' | 'update', rows: readonly TradeRow[]): string {
    return this.envelope('market_trades', [
      {
        type,
        trades: rows.map((row) => ({
          trade_id: row.id,
          product_id: row.product,
          price: row.price,
          size: row.size,
          side: row.side,
          time: row.time ?? '2019-08-14T20:42:27.265Z',
        })),
      },
    ]);
  }

  ticker(product: string, bid: [string, string] | null, ask: [string, string] | null, channel = 'ticker'): string {
    const ticker: Record<string, string> = {
      type: 'ticker',
      product_id: product,
      price: '21932.98',
      volume_24_h: '16038.28770938',
      low_24_h: '21835.29',
      high_24_h: '23011.18',
      low_52_w: '15460',
      high_52_w: '48240',
      price_percent_chg_24_h: '-4.15775596190603',
    };
    if (bid !== null) [ticker['best_bid'], ticker['best_bid_quantity']] = bid;
    if (ask !== null) [ticker['best_ask'], ticker['best_ask_quantity']] = ask;
    return this.envelope(channel, [{ type: 'update', tickers: [ticker] }]);
  }

  heartbeat(counter: number, asString = true): string {
    return this.envelope('heartbeats', [
      {
        current_time: '2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105',
        heartbeat_counter: asString ? String(counter) : counter,
      },
    ]);
  }
}

function isoSeconds(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19);
}
