import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNumber, jsonInteger, type LosslessJson, parseLosslessJson } from './bitfinex-json';

/** The parsed value with numbers converted the way JSON.parse converts them. */
function asPlain(value: LosslessJson): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(asPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, asPlain(v)]));
  }
  return value;
}

function outcome(parse: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parse() };
  } catch {
    return { ok: false };
  }
}

describe('lossless JSON parser for Bitfinex frames', () => {
  it('keeps every number as its text', () => {
    const value = parseLosslessJson('[232955,[0.0010273,1,-190.50000000000003],[2e-8,1.1e-7,0,-0,1E+2],557]');
    expect(value).toEqual([
      new JsonNumber('232955'),
      [new JsonNumber('0.0010273'), new JsonNumber('1'), new JsonNumber('-190.50000000000003')],
      [
        new JsonNumber('2e-8'),
        new JsonNumber('1.1e-7'),
        new JsonNumber('0'),
        new JsonNumber('-0'),
        new JsonNumber('1E+2'),
      ],
      new JsonNumber('557'),
    ]);
    expect(parseLosslessJson(' [ "hb" , true , false , null , {"a" : [1] , "__proto__" : 2} ] ')).toEqual([
      'hb',
      true,
      false,
      null,
      { a: [new JsonNumber('1')], ['__proto__']: new JsonNumber('2') },
    ]);
    expect(parseLosslessJson('"\\u00e9\\n\\"x"')).toBe('é\n"x');
  });

  it('accepts exactly what JSON.parse accepts, with the same structure', () => {
    const texts = fc.oneof(
      fc.json({ depthSize: 'small' }),
      fc.json().map((text) => text.replace(/(\d)/, '$1$1')),
      fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 })).map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i);
      }),
      fc.string(),
      fc.constantFrom(
        '01',
        '1.',
        '.5',
        '+1',
        '-',
        '1e',
        '1e+',
        '[1,]',
        '{"a":1,}',
        '"\t"',
        '"\\x"',
        'nul',
        '[1 2]',
        '-01',
      ),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const ours = outcome(() => asPlain(parseLosslessJson(text)));
        const native = outcome(() => JSON.parse(text) as unknown);
        expect(ours).toEqual(native);
      }),
      { numRuns: 2000 },
    );
  });

  it('bounds nesting instead of exhausting the stack', () => {
    expect(() => parseLosslessJson('['.repeat(33) + ']'.repeat(33))).toThrow(/nested too deep/);
    expect(() => parseLosslessJson('['.repeat(32) + ']'.repeat(32))).not.toThrow();
  });

  it('reads integers only when written as safe integers', () => {
    expect(jsonInteger(new JsonNumber('232954'))).toBe(232954);
    expect(jsonInteger(new JsonNumber('-1'))).toBe(-1);
    expect(jsonInteger(new JsonNumber('9007199254740991'))).toBe(9007199254740991);
    for (const text of ['9007199254740993', '1.0', '1e3', '0.5'])
      expect(jsonInteger(new JsonNumber(text))).toBeUndefined();
    expect(jsonInteger('1')).toBeUndefined();
    expect(jsonInteger(undefined)).toBeUndefined();
  });
});
