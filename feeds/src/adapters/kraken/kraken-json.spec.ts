import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumbersAsText, quoteBareNumbers } from './kraken-json';
import { rfc3339ToMicros, v1TimeToMicros } from './kraken-time';

/** `value` with every number replaced by the text JSON.stringify writes for it. */
function numbersAsText(value: unknown): unknown {
  if (typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(numbersAsText);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, numbersAsText(item)]));
  }
  return value;
}

describe('lossless reading of v2 numbers', () => {
  it('keeps the exact wire text of every number, trailing zeros included', () => {
    expect(parseNumbersAsText('{"price":45281.0,"qty":0.00100000,"checksum":3310070434,"n":-1.5e-8}')).toEqual({
      price: '45281.0',
      qty: '0.00100000',
      checksum: '3310070434',
      n: '-1.5e-8',
    });
    expect(parseNumbersAsText('{"connection_id":13834774380200032777}')).toEqual({
      connection_id: '13834774380200032777',
    });
  });

  it('leaves strings alone, escaped quotes and digits inside them included', () => {
    const text = '{"a":"x\\"1.0\\\\","b":[1,"2",true,null],"c\\\\":0}';
    expect(quoteBareNumbers(text)).toBe('{"a":"x\\"1.0\\\\","b":["1","2",true,null],"c\\\\":"0"}');
    expect(quoteBareNumbers('{"channel":"heartbeat"}')).toBe('{"channel":"heartbeat"}');
  });

  it('refuses what JSON refuses: no number spelling becomes acceptable by being quoted', () => {
    for (const bad of ['[01]', '[1.]', '[.5]', '[-]', '[1e]', '[+1]', '[1.5e+]', '[--1]', '[0x10]']) {
      expect(() => parseNumbersAsText(bad), bad).toThrow(SyntaxError);
    }
  });

  it('agrees with JSON.parse on any JSON value, numbers read as their JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseNumbersAsText(text)).toEqual(numbersAsText(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('Kraken timestamps to µs without floats', () => {
  it('v1 decimal seconds', () => {
    expect(v1TimeToMicros('1618678133.365913')).toBe(1618678133365913);
    expect(v1TimeToMicros('1618678133.3')).toBe(1618678133300000);
    expect(v1TimeToMicros('1618678133')).toBe(1618678133000000);
    expect(v1TimeToMicros('1618678133.1234567')).toBe(1618678133123456);
    for (const bad of ['', '1.2.3', '-1', '1e9', 'abc', '1618678133.'])
      expect(v1TimeToMicros(bad), bad).toBeUndefined();
  });

  it('v2 RFC 3339', () => {
    expect(rfc3339ToMicros('2023-10-06T17:35:55.440295Z')).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000 + 440295);
    expect(rfc3339ToMicros('2023-10-06T17:35:55Z')).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000);
    expect(rfc3339ToMicros('2023-10-06T17:35:55.4Z')).toBe(Date.UTC(2023, 9, 6, 17, 35, 55) * 1000 + 400000);
    for (const bad of ['2023-10-06 17:35:55Z', '2023-10-06T17:35:55+01:00', 'x']) {
      expect(rfc3339ToMicros(bad), bad).toBeUndefined();
    }
  });
});
