import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authenticated } from './test-support/alpaca-harness';
import * as doc from './test-support/alpaca-doc-frames';

const TRADE = doc.V2_TRADE_AAPL;
const QUOTE = doc.SIP_QUOTE_AMD_1;

/** Documented frames with one field made the wrong type or out of range: each must be rejected. */
const WRONG: readonly string[] = [
  TRADE.replace('"p":126.55', '"p":"126.55"'),
  TRADE.replace('"p":126.55', '"p":-126.55'),
  TRADE.replace('"p":126.55', '"p":1e99'),
  TRADE.replace('"p":126.55', '"p":null'),
  TRADE.replace('"s":1', '"s":true'),
  TRADE.replace('"i":96921', '"i":96921.5'),
  TRADE.replace('"i":96921', '"i":"96921"'),
  TRADE.replace('"x":"D"', '"x":68'),
  TRADE.replace('"S":"AAPL"', '"S":["AAPL"]'),
  TRADE.replace('2021-02-22T15:51:44.208Z', '2021-02-30T15:51:44.208Z'),
  TRADE.replace('2021-02-22T15:51:44.208Z', '2021-02-22 15:51:44'),
  TRADE.replace('"t":"2021-02-22T15:51:44.208Z"', '"t":1613998304208'),
  QUOTE.replace('"bp":91.95', '"bp":91.'),
  QUOTE.replace('"as":1', '"as":01'),
  QUOTE.replace(',"bs":2', ''),
  doc.STATUS_HALT_AAPL.replace('"rc":"T12"', '"rc":12'),
  doc.SIP_SUBSCRIPTION.replace('"trades":["AAPL"]', '"trades":"AAPL"'),
  '[{"T":"error","code":"406","msg":"connection limit exceeded"}]',
  '[{"T":"success"}]',
  '[{"S":"AAPL"}]',
  '[1,2,3]',
  '{"T":"t"}',
  '',
  // One bad data point spoils the frame: nothing of it is applied.
  `[${TRADE.slice(1, -1)},${TRADE.slice(1, -1).replace('"p":126.55', '"p":"x"')}]`,
];

describe('Alpaca session on malformed input', () => {
  it('rejects each wrong-type or out-of-range frame once and applies nothing of it', () => {
    const { sink, session } = authenticated([
      { symbol: 'AAPL-USD', channel: 'trades' },
      { symbol: 'AMD-USD', channel: 'bbo' },
    ]);
    session.handleFrame('[{"T":"subscription","trades":["AAPL"],"quotes":["AMD"],"statuses":["*"]}]', 1);
    const before = { frames: sink.frames, events: sink.events.length };
    for (const frame of WRONG) session.handleFrame(frame, 2);
    expect(sink.frames - before.frames).toBe(WRONG.length);
    expect(sink.total('rejected')).toBe(WRONG.length);
    expect(sink.events.slice(before.events)).toEqual([]);
    expect(Object.keys(sink.counts.rejected)).toEqual(
      expect.arrayContaining([
        'not JSON',
        'not a JSON array',
        'trade: malformed',
        'trade price: negative -126.55',
        'message 0 is not an object',
        'message without a type "T"',
      ]),
    );
    expect(sink.counts.rejected['trade: bad timestamp "2021-02-30T15:51:44.208Z"']).toBe(1);
  });

  it(
    'never throws on arbitrary, truncated, mutated or huge frames, and accounts each exactly once',
    { timeout: 60_000 },
    () => {
      const { sink, session } = authenticated([
        { symbol: 'AAPL-USD', channel: 'trades' },
        { symbol: 'AMD-USD', channel: 'bbo' },
      ]);
      const valid = [TRADE, QUOTE, doc.SIP_TRADES_AAPL, doc.STATUS_HALT_AAPL, doc.SIP_SUBSCRIPTION, doc.CONNECTED];
      const mutate = fc
        .tuple(fc.constantFrom(...valid), fc.nat(), fc.string({ maxLength: 4 }))
        .map(([frame, at, insert]) => {
          const i = at % (frame.length + 1);
          return frame.slice(0, i) + insert + frame.slice(i + 1);
        });
      const frames = fc.oneof(
        { arbitrary: fc.string(), weight: 4 },
        { arbitrary: fc.json(), weight: 4 },
        { arbitrary: fc.jsonValue().map((value) => JSON.stringify([value])), weight: 4 },
        {
          arbitrary: fc
            .tuple(fc.constantFrom(...valid), fc.nat())
            .map(([frame, cut]) => frame.slice(0, cut % frame.length)),
          weight: 4,
        },
        { arbitrary: mutate, weight: 8 },
        // Huge frames (2 MB batches, 100 000-deep nesting, 100 000-digit numbers) are slow: fewer runs.
        fc.constantFrom(
          `[${`${TRADE.slice(1, -1)},`.repeat(20_000)}${TRADE.slice(1, -1)}]`,
          `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
          `[{"T":"t","S":"AAPL","i":1,"x":"V","p":${'9'.repeat(100_000)},"s":1,"t":"2024-01-02T15:00:00Z"}]`,
          `[{"T":"q","S":"AMD","bp":1,"bs":1,"ap":2,"as":1,"t":"2024-01-02T15:00:00.${'1'.repeat(50_000)}Z"}]`,
          '[{"T":"t","S":"AAPL","i":1,"x":"V","p":1,"s":1,"t":"9999-12-31T23:59:59Z"}]',
        ),
      );
      fc.assert(
        fc.property(frames, (frame) => {
          const before = sink.frames;
          expect(() => {
            session.handleFrame(frame, 3);
          }).not.toThrow();
          expect(sink.frames).toBe(before + 1);
        }),
        { numRuns: 1000 },
      );
      expect(sink.total('rejected')).toBeGreaterThan(0);
      expect(Object.keys(sink.counts.rejected).some((kind) => kind.startsWith('internal error'))).toBe(false);
    },
  );

  it('rejects a frame beyond 16 MiB unread', () => {
    const { sink, session } = authenticated([{ symbol: 'AAPL-USD', channel: 'trades' }]);
    session.handleFrame(`[${' '.repeat(16 * 1024 * 1024)}]`, 4);
    expect(sink.counts.rejected).toEqual({ 'frame of 16777218 characters is too large': 1 });
  });
});
