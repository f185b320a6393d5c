import type { MarketSession } from './market-session';

/*
 * Trading status messages ("T":"s") carry the SIP's security status: "sc" status code, "sm" status
 * message, "rc" reason code, "rm" reason message. Alpaca's stock stream page lists the codes of the
 * two plans (docs.alpaca.markets/docs/real-time-stock-pricing-data, "Status Codes"):
 *   Tape A & B (CTA): 2 Trading Halt, 3 Resume, 5 Price Indication, 6 Trading Range Indication,
 *     7/8/9/A Market (On Close) Imbalance Buy/Sell, C/D No (Market On Close) Imbalance,
 *     E Short Sale Restriction, F Limit Up-Limit Down.
 *   Tape C & O (UTP): H Trading Halt, Q Quotation Resumption, T Trading Resumption,
 *     P Volatility Trading Pause.
 * Reason codes (CTA M = "Limit Up-Limit Down (LULD) Trading Pause"; UTP T1 "Halt News Pending", ...)
 * are passed through with their message.
 *
 * Only the codes that change whether the security trades move the instrument's trading state;
 * the rest (imbalances, price indications, short-sale restriction, LULD band notices) are
 * informational and change nothing.
 */

export type TradingState = 'trading' | 'halted' | 'paused' | 'quotation-only';

/** What Tickwire knows about one instrument beyond its feed: the venue's trading state and the session. */
export interface InstrumentState {
  readonly trading: TradingState;
  /** The status message that set `trading` ("H Trading Halt: T1 Halt News Pending"), or "" initially. */
  readonly tradingCause: string;
  readonly session: MarketSession | undefined;
}

export interface TradingStatusFields {
  readonly sc: string;
  readonly sm: string;
  readonly rc: string;
  readonly rm: string;
}

/** The trading state a status message puts the security in, or undefined for informational codes. */
export function tradingStateOf(status: TradingStatusFields): TradingState | undefined {
  switch (status.sc) {
    case '2':
      // CTA reports a LULD pause as a halt with reason M.
      return status.rc === 'M' ? 'paused' : 'halted';
    case 'H':
      return 'halted';
    case 'P':
      return 'paused';
    case 'Q':
      return 'quotation-only';
    case '3':
    case 'T':
      return 'trading';
    default:
      return undefined;
  }
}

const LABELS: Record<TradingState, string> = {
  trading: 'resumed',
  halted: 'halted',
  paused: 'paused',
  'quotation-only': 'quotation resumed',
};

/** "H Trading Halt: T1 Halt News Pending" (the reason part only when the venue gives one). */
export function statusCause(status: TradingStatusFields): string {
  const reason = [status.rc, status.rm].filter((part) => part !== '').join(' ');
  const code = [status.sc, status.sm].filter((part) => part !== '').join(' ');
  return reason === '' ? code : `${code}: ${reason}`;
}

/**
 * The FeedStatusEvent reason for a trading-state change, e.g.
 * "halted: H Trading Halt: T1 Halt News Pending" or "resumed: T Trading Resumption".
 */
export function tradingReason(state: TradingState, cause: string): string {
  return `${LABELS[state]}: ${cause}`;
}

/** The FeedStatusEvent reason for a session change: "session: regular". */
export function sessionReason(session: MarketSession): string {
  return `session: ${session}`;
}

/**
 * Reads back a reason this adapter wrote, for consumers that need the instrument state until the
 * model has a field for it (see README, "Instrument state").
 */
export function parseInstrumentReason(
  reason: string,
): { readonly session: MarketSession } | { readonly trading: TradingState; readonly cause: string } | undefined {
  const session = /^session: (pre-market|regular|after-hours|closed)$/.exec(reason)?.[1];
  if (session !== undefined) return { session: session as MarketSession };
  for (const [state, label] of Object.entries(LABELS) as [TradingState, string][]) {
    if (reason.startsWith(`${label}: `)) return { trading: state, cause: reason.slice(label.length + 2) };
  }
  return undefined;
}
