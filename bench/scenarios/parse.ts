/*
 * Scenario 1, parse: raw recorded frame → the parsed form the adapter reads, against plain
 * JSON.parse of the same frames (the limit).
 *   - Lossless parsers (numbers kept as their wire text) on Bitfinex v2 frames, whose prices and
 *     amounts are bare JSON numbers: Bitfinex's parseLosslessJson, the Alpaca-style marked
 *     numbers (readLosslessJson) and Kraken v2's parseNumbersAsText.
 *   - Whole adapter sessions (parse, shape checks, normalization, book sync with checksum or
 *     sequence verification, events) per recorded venue: what bench/adapter-parse.ts measured.
 *     Binance, OKX, Coinbase and Kraken v1 send decimals as strings, so their parse step is
 *     JSON.parse itself; the session row shows what the rest of the adapter costs on top.
 */
import { readLosslessJson } from '../../feeds/src/adapters/alpaca/alpaca-json';
import { parseLosslessJson } from '../../feeds/src/adapters/bitfinex/bitfinex-json';
import { parseNumbersAsText } from '../../feeds/src/adapters/kraken/kraken-json';
import { measure, type LapTimer } from '../harness/measure';
import { scaled, type BenchOptions } from '../harness/options';
import type { Row, Scenario } from '../harness/result';
import { BINANCE, BITFINEX, COINBASE, KRAKEN, OKX, receivedTexts, runTickwire, type RecordedVenue } from './venues';

const LAP = 64;

/** Keeps results alive so the parse is not optimised away. */
export let parsedCount = 0;

export function parseAll(
  frames: readonly string[],
  parse: (text: string) => unknown,
  repeat: number,
  timer: LapTimer,
): number {
  for (let r = 0; r < repeat; r++) {
    for (let i = 0; i < frames.length; i++) {
      if (parse(frames[i] as string) !== undefined) parsedCount++;
      if ((i + 1) % LAP === 0) timer.lap(LAP);
    }
    timer.lap(frames.length % LAP);
  }
  return frames.length * repeat;
}

function bytes(frames: readonly string[]): number {
  return frames.reduce((sum, frame) => sum + frame.length, 0);
}

async function losslessRows(options: BenchOptions, report: (row: Row) => void): Promise<void> {
  const frames = receivedTexts(await BITFINEX.entries());
  const repeat = scaled(options, 20);
  const floor = await measure((timer) => parseAll(frames, JSON.parse, repeat, timer), options);
  const parsers: [string, (text: string) => unknown][] = [
    ['bitfinex parseLosslessJson (adapter in use)', parseLosslessJson],
    ['alpaca readLosslessJson (marked numbers + JSON.parse)', readLosslessJson],
    ['kraken v2 parseNumbersAsText (quoted numbers + JSON.parse)', parseNumbersAsText],
  ];
  for (const [name, parse] of parsers) {
    const ours = await measure((timer) => parseAll(frames, parse, repeat, timer), options);
    report({
      scenario: 'parse',
      case: `lossless ${name.split(' ')[0] ?? name}`,
      input: `${BITFINEX.file}: ${frames.length} frames × ${repeat}, ${(bytes(frames) / 1e3).toFixed(0)} kB, bare JSON numbers`,
      unit: 'frame',
      ours: { name, measurement: ours },
      peers: [{ name: 'JSON.parse', measurement: floor }],
      targets: [{ peer: 'JSON.parse', kind: 'speedup', bound: 0.95 }],
      notes: ['JSON.parse turns the numbers into floats (not exact); the Tickwire parser keeps their text'],
    });
  }
}

async function sessionRow(venue: RecordedVenue, options: BenchOptions, report: (row: Row) => void): Promise<void> {
  const entries = await venue.entries();
  const frames = receivedTexts(entries);
  const repeat = scaled(options, 5);
  const ours = await measure((timer) => {
    let n = 0;
    for (let r = 0; r < repeat; r++) n += runTickwire(venue, entries, timer);
    return n;
  }, options);
  const floor = await measure((timer) => parseAll(frames, JSON.parse, repeat, timer), options);
  report({
    scenario: 'parse',
    case: `adapter session ${venue.id}`,
    input: `${venue.file}: ${frames.length} frames × ${repeat}, ${(bytes(frames) / 1e3).toFixed(0)} kB; ${venue.description}`,
    unit: 'frame',
    ours: { name: 'adapter session (parse+verify+normalize+book)', measurement: ours },
    peers: [{ name: 'JSON.parse', measurement: floor }],
    targets: [],
    notes: [
      'informational: the session does far more than parse; the parse step of this venue is JSON.parse itself (decimals are JSON strings)',
    ],
  });
}

export const parseScenario: Scenario = {
  id: 'parse',
  title: 'Parse: raw frame → parsed form vs JSON.parse',
  async run(options, report) {
    await losslessRows(options, report);
    for (const venue of [BINANCE, KRAKEN, OKX, COINBASE, BITFINEX]) await sessionRow(venue, options, report);
  },
};
