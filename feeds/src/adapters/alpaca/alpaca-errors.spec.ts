import { describe, expect, it } from 'vitest';
import type { UpstreamSubscription } from '../venue-adapter';
import * as doc from './test-support/alpaca-doc-frames';
import { authenticated, drive, statusTriples } from './test-support/alpaca-harness';

const TWO: UpstreamSubscription[] = [
  { symbol: 'AAPL-USD', channel: 'trades' },
  { symbol: 'AMD-USD', channel: 'bbo' },
];

describe('Alpaca errors (docs.alpaca.markets/docs/streaming-market-data, "Errors")', () => {
  it('402 auth failed: every symbol and the connection disconnected, and nothing more is asked', () => {
    const { sink, feed, session } = drive(TWO);
    feed(doc.CONNECTED);
    feed(doc.ERRORS[402]!);
    const reason =
      'auth failed (402): the venue refused the credentials: check APCA_API_KEY_ID / APCA_API_SECRET_KEY; not retrying';
    expect(statusTriples(sink.events).slice(-3)).toEqual([
      [null, 'disconnected', reason],
      ['AAPL-USD', 'disconnected', reason],
      ['AMD-USD', 'disconnected', reason],
    ]);
    // Alpaca keeps a refused socket open [secondary]: the session must not subscribe on it regardless.
    session.subscribe([{ symbol: 'MSFT-USD', channel: 'trades' }]);
    feed(doc.AUTHENTICATED);
    expect(sink.sent).toHaveLength(1);
    expect(session.subscriptionState().phase).toBe('refused');
    expect(sink.counts.parsed['error 402']).toBe(1);
  });

  it('406 connection limit exceeded: a clear reason, no subscribe, nothing that hurries a reconnect', () => {
    const { sink, feed, session } = drive(TWO);
    feed(doc.CONNECTED);
    feed(doc.CONNECTION_LIMIT);
    const venue = statusTriples(sink.events).filter(([symbol]) => symbol === null);
    expect(venue.at(-1)).toEqual([
      null,
      'disconnected',
      'connection limit exceeded (406): another connection already uses this API key (Alpaca allows one per ' +
        'endpoint on most plans); the venue closes this one, and only one gateway may hold the upstream Alpaca socket',
    ]);
    expect(sink.sent).toEqual([expect.stringContaining('"action":"auth"')]);
    // The venue closes the newcomer ~10 s later; the session reports that too, with the close reason.
    session.close(Date.now() * 1000, 'connection 2 closed (1006)');
    expect(statusTriples(sink.events).slice(-2)).toEqual([
      ['AAPL-USD', 'disconnected', 'connection 2 closed (1006)'],
      ['AMD-USD', 'disconnected', 'connection 2 closed (1006)'],
    ]);
  });

  it('409 insufficient subscription (sip on a free plan) is a refusal naming the plan', () => {
    const { sink, feed } = drive(TWO, { feed: 'sip' });
    feed(doc.CONNECTED);
    feed(doc.ERRORS[409]!);
    expect(statusTriples(sink.events).at(-1)).toEqual([
      'AMD-USD',
      'disconnected',
      'insufficient subscription (409): the plan does not include this feed (sip needs a paid plan; use iex)',
    ]);
  });

  it('405 symbol limit exceeded answers one subscribe: only its symbols are refused', () => {
    const { sink, feed, session, statuses } = authenticated(TWO, { symbolsPerMessage: 2 });
    expect(sink.sent.slice(1)).toEqual([
      '{"action":"subscribe","trades":["AAPL"],"statuses":["AAPL"]}',
      '{"action":"subscribe","quotes":["AMD"],"statuses":["AMD"]}',
    ]);
    feed('[{"T":"subscription","trades":["AAPL"],"quotes":[],"statuses":["AAPL"]}]');
    feed(doc.ERRORS[405]!);
    expect(session.instrument('AAPL-USD')?.feed).toBe('live');
    expect(session.instrument('AMD-USD')?.feed).toBe('disconnected');
    expect(statuses().at(-1)?.reason).toBe(
      "subscribe refused: symbol limit exceeded (405): over the plan's symbol limit; the venue kept the previous subscriptions",
    );
    // The venue kept its list: the refused pairs are not held, so a later change retries them.
    expect(session.subscriptionState().held).toEqual(['trades:AAPL', 'statuses:AAPL']);
    expect(session.subscriptionState().pending).toBe(0);
  });

  it('410 for trading statuses leaves the data live and says the halts are missing', () => {
    const { feed, session, statuses } = authenticated([{ symbol: 'AAPL-USD', channel: 'trades' }], {
      symbolsPerMessage: 1,
    });
    feed('[{"T":"subscription","trades":["AAPL"],"quotes":[]}]');
    feed(doc.ERRORS[410]!);
    expect(session.instrument('AAPL-USD')?.feed).toBe('live');
    expect(statuses().at(-1)).toMatchObject({
      symbol: 'AAPL-USD',
      state: 'live',
      reason:
        'trading statuses unavailable: invalid subscribe action for this feed (410): a channel this feed does not offer',
    });
  });

  it('400 answering no request of ours informs without changing the connection state', () => {
    const { sink, feed } = authenticated(TWO);
    feed('[{"T":"subscription","trades":["AAPL"],"quotes":["AMD"],"statuses":["AAPL","AMD"]}]');
    feed(doc.ERRORS[400]!);
    expect(statusTriples(sink.events).at(-1)).toEqual([
      null,
      'live',
      'invalid syntax (400): the message did not follow the specification (or a symbol is malformed)',
    ]);
  });

  it('403 already authenticated changes nothing; 407 slow client and 500 mark the connection stale', () => {
    const { sink, feed } = authenticated(TWO);
    const before = sink.events.length;
    feed(doc.ERRORS[403]!);
    expect(sink.events).toHaveLength(before);
    feed(doc.ERRORS[407]!);
    feed(doc.ERRORS[500]!);
    expect(statusTriples(sink.events.slice(before))).toEqual([
      [null, 'stale', 'slow client (407): the venue is about to disconnect a client too slow to read its messages'],
      [null, 'stale', 'internal error (500): an error on the venue side'],
    ]);
    expect(sink.counts.parsed).toMatchObject({ 'error 403': 1, 'error 407': 1, 'error 500': 1 });
  });

  it('an unknown error code is reported with the venue text, never dropped', () => {
    const { sink, feed } = authenticated(TWO);
    feed('[{"T":"error","code":499,"msg":"something new"}]');
    expect(statusTriples(sink.events).at(-1)).toEqual([
      null,
      'live',
      'something new (499): an error code this adapter does not know',
    ]);
  });
});
