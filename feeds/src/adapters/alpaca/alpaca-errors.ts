import type { FeedState } from '../../model/events';

/*
 * Error messages, [{"T":"error","code":406,"msg":"connection limit exceeded"}], from the table in
 * docs.alpaca.markets/docs/streaming-market-data ("Errors") plus 408 (older docs) and 411 (the Go
 * SDK's ErrInsufficientScope). How each reaches consumers:
 * - `refusal`: the venue will not serve this connection (bad credentials, second connection, plan).
 *   The session stops asking for anything and reports every symbol 'disconnected'. Alpaca keeps a
 *   socket open after 402/409 ("A refused socket stays open" [secondary: a measured probe of the
 *   live endpoint]) and closes a 406 newcomer about 10 s later; either way the session does nothing
 *   that would make the connection manager reconnect faster.
 * - `request`: the answer to one subscribe/unsubscribe (matched in order); only its symbols suffer.
 * - otherwise the connection goes on and the status only informs.
 */

export interface AlpacaErrorRule {
  readonly meaning: string;
  readonly scope: 'connection' | 'request';
  readonly refusal: boolean;
  /** Feed state of the affected symbols (or of the venue connection). */
  readonly state: FeedState;
  /** What an operator should do, for the status reason. */
  readonly advice: string;
}

const RULES: Readonly<Record<number, AlpacaErrorRule>> = {
  400: {
    meaning: 'invalid syntax',
    scope: 'request',
    refusal: false,
    state: 'disconnected',
    advice: 'the message did not follow the specification (or a symbol is malformed)',
  },
  401: {
    meaning: 'not authenticated',
    scope: 'request',
    refusal: false,
    state: 'connecting',
    advice: 'subscribed before authentication',
  },
  402: {
    meaning: 'auth failed',
    scope: 'connection',
    refusal: true,
    state: 'disconnected',
    advice: 'the venue refused the credentials: check APCA_API_KEY_ID / APCA_API_SECRET_KEY; not retrying',
  },
  403: {
    meaning: 'already authenticated',
    scope: 'connection',
    refusal: false,
    state: 'live',
    advice: 'a second auth on an authenticated connection; harmless',
  },
  404: {
    meaning: 'auth timeout',
    scope: 'connection',
    refusal: true,
    state: 'disconnected',
    advice: 'no successful auth within the 10 s the venue allows',
  },
  405: {
    meaning: 'symbol limit exceeded',
    scope: 'request',
    refusal: false,
    state: 'disconnected',
    advice: "over the plan's symbol limit; the venue kept the previous subscriptions",
  },
  406: {
    meaning: 'connection limit exceeded',
    scope: 'connection',
    refusal: true,
    state: 'disconnected',
    advice:
      'another connection already uses this API key (Alpaca allows one per endpoint on most plans); ' +
      'the venue closes this one, and only one gateway may hold the upstream Alpaca socket',
  },
  407: {
    meaning: 'slow client',
    scope: 'connection',
    refusal: false,
    state: 'stale',
    advice: 'the venue is about to disconnect a client too slow to read its messages',
  },
  408: {
    meaning: 'v2 not enabled',
    scope: 'connection',
    refusal: true,
    state: 'disconnected',
    advice: 'the account has no access to market data v2',
  },
  409: {
    meaning: 'insufficient subscription',
    scope: 'connection',
    refusal: true,
    state: 'disconnected',
    advice: 'the plan does not include this feed (sip needs a paid plan; use iex)',
  },
  410: {
    meaning: 'invalid subscribe action for this feed',
    scope: 'request',
    refusal: false,
    state: 'disconnected',
    advice: 'a channel this feed does not offer',
  },
  411: {
    meaning: 'insufficient scope',
    scope: 'connection',
    refusal: true,
    state: 'disconnected',
    advice: 'the token lacks the market data scope',
  },
  500: {
    meaning: 'internal error',
    scope: 'connection',
    refusal: false,
    state: 'stale',
    advice: 'an error on the venue side',
  },
};

const UNKNOWN: AlpacaErrorRule = {
  meaning: 'unknown error',
  scope: 'connection',
  refusal: false,
  state: 'live',
  advice: 'an error code this adapter does not know',
};

export function alpacaErrorRule(code: number): AlpacaErrorRule {
  return RULES[code] ?? UNKNOWN;
}

/** "connection limit exceeded (406): another connection already uses ..." with the venue's own text. */
export function alpacaErrorReason(code: number, msg: string): string {
  const rule = alpacaErrorRule(code);
  return `${msg === '' ? rule.meaning : msg} (${code}): ${rule.advice}`;
}
