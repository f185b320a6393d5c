import { ERROR_CODES, type ErrorCode } from '@tickwire/feeds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClientMessageError, parseClientMessage } from './client-message.schema';

/** The error of a frame that must be refused (fails the test when it parses). */
function refused(text: string): ClientMessageError {
  const result = parseClientMessage(text);
  if (result.ok) throw new Error(`expected ${text} to be refused, got ${JSON.stringify(result.message)}`);
  return result.error;
}

function codeOf(message: unknown): ErrorCode {
  return refused(typeof message === 'string' ? message : JSON.stringify(message)).code;
}

describe('parseClientMessage: valid messages', () => {
  it('parses subscribe with every parameter', () => {
    expect(
      parseClientMessage(
        JSON.stringify({
          op: 'subscribe',
          id: 1,
          channel: 'book',
          instrument: 'simulated:BTC-USDT',
          depth: 5,
          intervalMs: 0,
        }),
      ),
    ).toEqual({
      ok: true,
      message: { op: 'subscribe', id: 1, channel: 'book', instrument: 'simulated:BTC-USDT', depth: 5, intervalMs: 0 },
    });
  });

  it('parses unsubscribe, ping, auth and instruments without an instrument', () => {
    expect(parseClientMessage('{"op":"unsubscribe","channel":"trades","instrument":"simulated:BTC-USDT"}')).toEqual({
      ok: true,
      message: { op: 'unsubscribe', channel: 'trades', instrument: 'simulated:BTC-USDT' },
    });
    expect(parseClientMessage('{"op":"ping","id":3}')).toEqual({ ok: true, message: { op: 'ping', id: 3 } });
    expect(parseClientMessage('{"op":"ping"}')).toEqual({ ok: true, message: { op: 'ping' } });
    expect(parseClientMessage('{"op":"auth","token":"abc"}')).toEqual({
      ok: true,
      message: { op: 'auth', token: 'abc' },
    });
    expect(parseClientMessage('{"op":"subscribe","channel":"instruments"}')).toEqual({
      ok: true,
      message: { op: 'subscribe', channel: 'instruments' },
    });
  });

  it('accepts the interval bounds: 0, 50 and 5000 ms; candle intervals', () => {
    for (const intervalMs of [0, 50, 5000]) {
      expect(
        parseClientMessage(JSON.stringify({ op: 'subscribe', channel: 'bbo', instrument: 'a:B-C', intervalMs })).ok,
      ).toBe(true);
    }
    for (const interval of ['1s', '1m', '5m', '15m', '1h', '4h', '1d']) {
      expect(
        parseClientMessage(JSON.stringify({ op: 'subscribe', channel: 'candles', instrument: 'a:B-C', interval })).ok,
      ).toBe(true);
    }
  });
});

describe('parseClientMessage: every error code', () => {
  it('malformed_json for text that is not JSON (no id to echo)', () => {
    for (const text of ['', '{', '{"op":"ping",}', 'ping', '{op:"ping"}', '\u0000']) {
      expect(refused(text)).toEqual({ code: 'malformed_json', message: 'the message is not valid JSON' });
    }
  });

  it('invalid_message for JSON that is not an object', () => {
    for (const text of ['null', '42', '"ping"', '[{"op":"ping"}]', 'true']) {
      const error = refused(text);
      expect(error.code).toBe('invalid_message');
      expect(error.message).toMatch(/JSON object/);
      expect(error.id).toBeUndefined();
    }
  });

  it('invalid_message for a missing or non-string op, echoing the id', () => {
    const missing = refused('{"id":7}');
    expect(missing).toMatchObject({ code: 'invalid_message', id: 7 });
    expect(missing.message).toMatch(/"op"/);
    expect(refused('{"op":1,"id":8}')).toMatchObject({ code: 'invalid_message', id: 8 });
  });

  it('invalid_message for unknown fields, a bad id or a bad token', () => {
    const extra = refused('{"op":"ping","id":1,"extra":true}');
    expect(extra).toMatchObject({ code: 'invalid_message', id: 1 });
    expect(extra.message).toMatch(/extra/);
    expect(codeOf({ op: 'ping', id: -1 })).toBe('invalid_message');
    expect(codeOf({ op: 'ping', id: 1.5 })).toBe('invalid_message');
    expect(codeOf({ op: 'ping', id: 'one' })).toBe('invalid_message');
    expect(codeOf({ op: 'auth', token: '' })).toBe('invalid_message');
    expect(codeOf({ op: 'auth', token: 'x'.repeat(513) })).toBe('invalid_message');
    expect(codeOf({ op: 'auth' })).toBe('invalid_message');
  });

  it('does not echo an id that is not a safe integer', () => {
    expect(refused('{"op":"nope","id":1.5}').id).toBeUndefined();
    expect(refused('{"op":"nope","id":"9"}').id).toBeUndefined();
    expect(refused(`{"op":"nope","id":${Number.MAX_SAFE_INTEGER + 2}}`).id).toBeUndefined();
  });

  it('unknown_op names the op and the known ones, echoing the id', () => {
    const error = refused('{"op":"subscrbe","id":4,"channel":"book"}');
    expect(error).toEqual({
      code: 'unknown_op',
      id: 4,
      message: 'unknown op "subscrbe"; one of subscribe, unsubscribe, ping, auth',
    });
    // Inherited property names are not ops.
    for (const op of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(codeOf({ op })).toBe('unknown_op');
    }
  });

  it('unknown_op truncates a long op in the message', () => {
    const error = refused(JSON.stringify({ op: 'x'.repeat(1000) }));
    expect(error.code).toBe('unknown_op');
    expect(error.message.length).toBeLessThan(120);
  });

  it('unknown_channel for a channel not in the API, or none, echoing the id', () => {
    expect(refused('{"op":"subscribe","id":5,"channel":"orders","instrument":"a:B-C"}')).toEqual({
      code: 'unknown_channel',
      id: 5,
      message: 'unknown channel; one of trades, book, bbo, candles, status, instruments',
    });
    expect(codeOf({ op: 'unsubscribe', channel: 'BOOK', instrument: 'a:B-C' })).toBe('unknown_channel');
    expect(codeOf({ op: 'subscribe', instrument: 'a:B-C' })).toBe('unknown_channel');
    expect(codeOf({ op: 'subscribe', channel: 3 })).toBe('unknown_channel');
  });

  it('bad_parameter for out-of-range or ill-typed parameters, naming the field and echoing the id', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ depth: 0 }, 'depth'],
      [{ depth: 1001 }, 'depth'],
      [{ depth: 2.5 }, 'depth'],
      [{ depth: '5' }, 'depth'],
      [{ intervalMs: 10 }, 'intervalMs'],
      [{ intervalMs: 49 }, 'intervalMs'],
      [{ intervalMs: 5001 }, 'intervalMs'],
      [{ intervalMs: -1 }, 'intervalMs'],
      [{ interval: '2m' }, 'interval'],
      [{ instrument: 'ab' }, 'instrument'],
      [{ instrument: 'a'.repeat(65) }, 'instrument'],
      [{ instrument: 42 }, 'instrument'],
    ];
    for (const [params, field] of cases) {
      const error = refused(
        JSON.stringify({ op: 'subscribe', id: 9, channel: 'book', instrument: 'a:B-C', ...params }),
      );
      expect(error.code, JSON.stringify(params)).toBe('bad_parameter');
      expect(error.id).toBe(9);
      expect(error.message.startsWith(`${field}:`), error.message).toBe(true);
    }
  });

  it('the interval refinement says what is allowed', () => {
    const error = refused('{"op":"subscribe","channel":"book","instrument":"a:B-C","intervalMs":10}');
    expect(error.message).toBe('intervalMs: 0 (every update) or 50 to 5000');
  });
});

const KNOWN_CODES = new Set<string>(ERROR_CODES);
/** What the parser itself may answer (the others come from the registry and the gateway). */
const PARSER_CODES = new Set<ErrorCode>([
  'malformed_json',
  'invalid_message',
  'unknown_op',
  'unknown_channel',
  'bad_parameter',
]);

function checkResult(text: string): void {
  const result = parseClientMessage(text);
  if (result.ok) {
    expect(['subscribe', 'unsubscribe', 'ping', 'auth']).toContain(result.message.op);
    return;
  }
  expect(KNOWN_CODES.has(result.error.code)).toBe(true);
  expect(PARSER_CODES.has(result.error.code)).toBe(true);
  expect(typeof result.error.message).toBe('string');
  expect(result.error.message.length).toBeGreaterThan(0);
  if (result.error.id !== undefined) expect(Number.isSafeInteger(result.error.id)).toBe(true);
}

describe('parseClientMessage: fuzz', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        checkResult(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        checkResult(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on near-valid messages, and echoes any safe integer id', () => {
    const message = fc.record(
      {
        op: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'ping', 'auth', 'nope', '__proto__'), fc.jsonValue()),
        id: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
        channel: fc.oneof(fc.constantFrom('trades', 'book', 'bbo', 'candles', 'status', 'instruments'), fc.jsonValue()),
        instrument: fc.oneof(fc.constantFrom('simulated:BTC-USDT', 'nope:X-Y'), fc.string()),
        depth: fc.oneof(fc.integer({ min: -5, max: 1100 }), fc.jsonValue()),
        intervalMs: fc.oneof(fc.integer({ min: -5, max: 6000 }), fc.jsonValue()),
        interval: fc.oneof(fc.constantFrom('1s', '1m', '2m'), fc.jsonValue()),
        token: fc.string({ maxLength: 600 }),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(message, (value) => {
        const text = JSON.stringify(value);
        checkResult(text);
        const result = parseClientMessage(text);
        if (result.ok || result.error.code === 'malformed_json') return;
        // What the gateway receives (JSON has no -0, for one).
        const id = (JSON.parse(text) as { id?: unknown }).id;
        if (typeof id === 'number' && Number.isSafeInteger(id)) expect(result.error.id).toBe(id);
        else expect(result.error.id).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
