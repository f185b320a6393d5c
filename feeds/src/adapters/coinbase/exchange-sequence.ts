/**
 * What the Exchange feed lets a client check, per product (README.md explains):
 * - `sequence` is the product's sequence across ALL its messages, most of which (the full channel)
 *   are not subscribed, so it jumps by design on matches, ticker and heartbeat: it orders messages
 *   (an older or equal one is a duplicate or out of order and is ignored, as the venue's doc says
 *   "a lower one can be ignored") but says nothing about loss.
 * - `trade_id` counts the product's trades one by one, so on the matches channel a jump is a lost
 *   match. Lost trades cannot be fetched again over the socket; the gap is counted and reported.
 * - level2 has no sequence at all; a crossed book is its only inconsistency signal.
 */
export interface ProductSequenceState {
  lastMatchSequence: number | undefined;
  lastTradeId: number | undefined;
  lastTickerSequence: number | undefined;
  lastHeartbeatSequence: number | undefined;
  /** Matches lost, by the trade_id jumps seen. */
  missedTrades: number;
  tradeGaps: number;
}

export type Ordering = 'new' | 'old';

export interface MatchVerdict {
  readonly ordering: Ordering;
  /** Trades lost between the previous match and this one (0 when contiguous). */
  readonly missed: number;
}

export class ExchangeSequences {
  private readonly products = new Map<string, ProductSequenceState>();

  state(productId: string): ProductSequenceState {
    let state = this.products.get(productId);
    if (state === undefined) {
      state = {
        lastMatchSequence: undefined,
        lastTradeId: undefined,
        lastTickerSequence: undefined,
        lastHeartbeatSequence: undefined,
        missedTrades: 0,
        tradeGaps: 0,
      };
      this.products.set(productId, state);
    }
    return state;
  }

  /** A match or last_match: older sequences and trade ids are duplicates; a trade_id jump is loss. */
  match(productId: string, sequence: number, tradeId: number): MatchVerdict {
    const state = this.state(productId);
    if (
      (state.lastMatchSequence !== undefined && sequence <= state.lastMatchSequence) ||
      (state.lastTradeId !== undefined && tradeId <= state.lastTradeId)
    ) {
      return { ordering: 'old', missed: 0 };
    }
    const missed = state.lastTradeId === undefined ? 0 : tradeId - state.lastTradeId - 1;
    if (missed > 0) {
      state.tradeGaps++;
      state.missedTrades += missed;
    }
    state.lastMatchSequence = sequence;
    state.lastTradeId = tradeId;
    return { ordering: 'new', missed };
  }

  /** A ticker shares its match's sequence; each ticker must be newer than the previous ticker. */
  ticker(productId: string, sequence: number): Ordering {
    const state = this.state(productId);
    if (state.lastTickerSequence !== undefined && sequence <= state.lastTickerSequence) return 'old';
    state.lastTickerSequence = sequence;
    return 'new';
  }

  /** Heartbeats repeat the current sequence while nothing happens, so only a lower one is old. */
  heartbeat(productId: string, sequence: number): Ordering {
    const state = this.state(productId);
    if (state.lastHeartbeatSequence !== undefined && sequence < state.lastHeartbeatSequence) return 'old';
    state.lastHeartbeatSequence = sequence;
    return 'new';
  }
}
