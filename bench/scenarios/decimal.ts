/*
 * Scenario 4, decimal hot ops in the representation the order book uses: canonical decimal text
 * (DecimalString) compared without parsing (compareDecimals), added exactly through BigInt scaled
 * units (addDecimals, ExactSum) and formatted from wire text to canonical text (toDecimal) or from
 * units (fromScaledUnits). Peer: decimal.js on its own representation (Decimal objects), on the same
 * recorded prices and sizes. Results are checked equal to decimal.js's before timing.
 */
import Decimal from 'decimal.js';
import {
  addDecimals,
  compareDecimals,
  type DecimalString,
  ExactSum,
  fromScaledUnits,
  toDecimal,
  toScaled,
} from '../../feeds/src/decimal';
import { measure } from '../harness/measure';
import { scaled, type BenchOptions } from '../harness/options';
import type { Row, Scenario } from '../harness/result';
import { BINANCE, COINBASE, KRAKEN, OKX, receivedTexts } from './venues';

const DECIMAL_TEXT = /^\d+\.\d+$|^[1-9]\d*$/;
const MAX_VALUES = 20_000;

/** Price and size text of recorded book levels (wire spelling, e.g. "0.01000000"). */
async function recordedDecimals(): Promise<string[]> {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (out.length >= MAX_VALUES) return;
    if (typeof value === 'string') {
      if (DECIMAL_TEXT.test(value) && value.length <= 24) out.push(value);
    } else if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) visit(item);
  };
  for (const venue of [KRAKEN, COINBASE, BINANCE, OKX]) {
    const entries = await venue.entries();
    for (const text of receivedTexts(entries)) if (venue.isBook(text)) visit(JSON.parse(text));
    for (const entry of entries) if (entry.kind === 'http') visit(JSON.parse(entry.body));
  }
  return out;
}

export let decimalSink = 0;

function checkExact(canonical: readonly DecimalString[], objects: readonly Decimal[]): number {
  let checked = 0;
  for (let i = 0; i + 1 < canonical.length; i++) {
    const a = canonical[i] as DecimalString;
    const b = canonical[i + 1] as DecimalString;
    const x = objects[i] as Decimal;
    const y = objects[i + 1] as Decimal;
    if (compareDecimals(a, b) !== x.cmp(y)) throw new Error(`compare differs on ${a} ${b}`);
    const sum = addDecimals(a, b);
    if (sum !== x.plus(y).toFixed()) throw new Error(`add differs on ${a} + ${b}: ${sum} vs ${x.plus(y).toFixed()}`);
    checked++;
  }
  return checked;
}

export const decimalScenario: Scenario = {
  id: 'decimal',
  title: 'Decimal hot ops vs decimal.js',
  async run(options: BenchOptions, report: (row: Row) => void) {
    Decimal.set({ precision: 40 });
    const wire = await recordedDecimals();
    const canonical = wire.map(toDecimal);
    const objects = canonical.map((text) => new Decimal(text));
    const checked = checkExact(canonical, objects);
    const repeat = scaled(options, 20);
    const n = canonical.length - 1;
    const input = `${wire.length} recorded price/size texts (Kraken, Coinbase, Binance, OKX book levels) × ${repeat}`;
    const exactNote = `results equal decimal.js (precision 40) on all ${checked} pairs before timing`;
    const cases: {
      name: string;
      ours: [string, () => void];
      peer: [string, () => void];
      /** decimal.js taking and giving text, as the book holds it. */
      textPeer?: [string, () => void];
      note?: string;
    }[] = [
      {
        name: 'compare',
        ours: [
          'compareDecimals(string, string)',
          () => {
            for (let i = 0; i < n; i++)
              decimalSink += compareDecimals(canonical[i] as DecimalString, canonical[i + 1] as DecimalString);
          },
        ],
        peer: [
          'decimal.js a.cmp(b)',
          () => {
            for (let i = 0; i < n; i++) decimalSink += (objects[i] as Decimal).cmp(objects[i + 1] as Decimal);
          },
        ],
        textPeer: [
          'new Decimal(a).cmp(b) on text',
          () => {
            for (let i = 0; i < n; i++) {
              decimalSink += new Decimal(canonical[i] as DecimalString).cmp(canonical[i + 1] as DecimalString);
            }
          },
        ],
      },
      {
        name: 'add (string → string)',
        ours: [
          'addDecimals(string, string)',
          () => {
            for (let i = 0; i < n; i++)
              decimalSink += addDecimals(canonical[i] as DecimalString, canonical[i + 1] as DecimalString).length;
          },
        ],
        peer: [
          'decimal.js a.plus(b)',
          () => {
            for (let i = 0; i < n; i++) decimalSink += (objects[i] as Decimal).plus(objects[i + 1] as Decimal).e;
          },
        ],
        textPeer: [
          'new Decimal(a).plus(b).toFixed() on text',
          () => {
            for (let i = 0; i < n; i++) {
              decimalSink += new Decimal(canonical[i] as DecimalString)
                .plus(canonical[i + 1] as DecimalString)
                .toFixed().length;
            }
          },
        ],
      },
      {
        name: 'running sum (depth total)',
        ours: [
          'ExactSum.add (BigInt units)',
          () => {
            const sum = new ExactSum();
            for (let i = 0; i < n; i++) sum.add(canonical[i] as DecimalString);
            decimalSink += sum.value().length;
          },
        ],
        peer: [
          'decimal.js sum = sum.plus(x)',
          () => {
            let sum = new Decimal(0);
            for (let i = 0; i < n; i++) sum = sum.plus(objects[i] as Decimal);
            decimalSink += sum.toFixed().length;
          },
        ],
      },
      {
        name: 'format: wire text → canonical text',
        ours: [
          'toDecimal(wire)',
          () => {
            for (let i = 0; i < n; i++) decimalSink += toDecimal(wire[i] as string).length;
          },
        ],
        peer: [
          'new Decimal(wire).toFixed()',
          () => {
            for (let i = 0; i < n; i++) decimalSink += new Decimal(wire[i] as string).toFixed().length;
          },
        ],
      },
      {
        name: 'format: value → text',
        ours: [
          'fromScaledUnits(units, scale)',
          () => {
            for (let i = 0; i < n; i++) {
              const { units, scale } = toScaled(canonical[i] as DecimalString);
              decimalSink += fromScaledUnits(units, scale).length;
            }
          },
        ],
        peer: [
          'decimal.js x.toFixed()',
          () => {
            for (let i = 0; i < n; i++) decimalSink += (objects[i] as Decimal).toFixed().length;
          },
        ],
        note: 'ours includes toScaled (text → BigInt units) since the book stores text, not units',
      },
    ];
    for (const item of cases) {
      const run = (body: () => void) => (): number => {
        for (let r = 0; r < repeat; r++) body();
        return n * repeat;
      };
      const ours = await measure(run(item.ours[1]), options);
      const peer = await measure(run(item.peer[1]), options);
      const textPeer = item.textPeer === undefined ? undefined : await measure(run(item.textPeer[1]), options);
      report({
        scenario: 'decimal',
        case: item.name,
        input,
        unit: 'op',
        ours: { name: item.ours[0], measurement: ours },
        peers: [
          { name: 'decimal.js', measurement: peer },
          ...(textPeer === undefined ? [] : [{ name: 'decimal.js text in/out', measurement: textPeer }]),
        ],
        targets: [
          { peer: 'decimal.js', kind: 'speedup', bound: 10 },
          ...(textPeer === undefined ? [] : [{ peer: 'decimal.js text in/out', kind: 'speedup' as const, bound: 10 }]),
        ],
        notes: [
          `decimal.js: ${item.peer[0]} (on Decimal objects built before timing)`,
          ...(item.textPeer === undefined ? [] : [`decimal.js text in/out: ${item.textPeer[0]}`]),
          exactNote,
          ...(item.note === undefined ? [] : [item.note]),
        ],
      });
    }
  },
};
