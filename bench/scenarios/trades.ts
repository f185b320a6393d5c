/*
 * Scenario 2, normalize trades per venue: the recorded trade frames (plus the channel's acks and
 * heartbeats) through Tickwire's adapter session (parse, validation, exact decimals, trade-id
 * dedup, events) vs tardis-dev's normalizeTrades mapper (JSON.parse + map, float prices).
 */
import { measure } from '../harness/measure';
import { scaled, type BenchOptions } from '../harness/options';
import type { Figure, Row, Scenario } from '../harness/result';
import { type TardisExchange, tardisCounts, tardisTrades } from '../peers/tardis';
import {
  BINANCE,
  COINBASE,
  KRAKEN_TRADES,
  OKX,
  onlyFrames,
  type RecordingEntry,
  receivedTexts,
  runTickwire,
  tickwireSummary,
  type RecordedVenue,
} from './venues';
import { SIMULATED_BINANCE } from './simulated';

const CASES: {
  venue: RecordedVenue;
  tardis: TardisExchange;
  tardisReason?: string;
  /** Passes per run and a cap on the frames taken (the simulated input is large). */
  repeat?: number;
  maxFrames?: number;
}[] = [
  {
    venue: BINANCE,
    tardis: 'binance-futures',
    tardisReason:
      "tardis-dev's Binance trade mapper reads only @trade streams; the recording has @aggTrade only (not fed altered frames)",
  },
  { venue: KRAKEN_TRADES, tardis: 'kraken' },
  // Bitfinex: the capture subscribed book and ticker only, no trades.
  { venue: OKX, tardis: 'okex' },
  { venue: COINBASE, tardis: 'coinbase' },
  { venue: SIMULATED_BINANCE, tardis: 'binance', repeat: 1, maxFrames: 30_000 },
];

/** The entries up to the `max`-th received frame. */
function firstFrames(entries: RecordingEntry[], max: number | undefined): RecordingEntry[] {
  if (max === undefined) return entries;
  let frames = 0;
  const end = entries.findIndex((entry) => entry.kind === 'recv' && ++frames > max);
  return end === -1 ? entries : entries.slice(0, end);
}

async function row(item: (typeof CASES)[number], options: BenchOptions): Promise<Row> {
  const { venue } = item;
  const entries = firstFrames(onlyFrames(venue, await venue.entries(), venue.isTrade, { rest: false }), item.maxFrames);
  const frames = receivedTexts(entries);
  const tradeFrames = frames.filter(venue.isTrade).length;
  const repeat = scaled(options, item.repeat ?? 200);
  const ours = await measure((timer) => {
    let n = 0;
    for (let r = 0; r < repeat; r++) n += runTickwire(venue, entries, timer);
    return n;
  }, options);
  // What a pass costs with no frames at all (adapter + session setup, subscribe, replay loop).
  const setupOnly = entries.filter((entry) => entry.kind !== 'recv');
  const setup = await measure(() => {
    for (let r = 0; r < repeat; r++) runTickwire(venue, setupOnly);
    return repeat;
  }, options);
  const perPassMicros = (ours.medianSeconds * 1e6) / repeat;
  let peer: Figure;
  const notes: string[] = [
    tickwireSummary(venue, entries),
    `Tickwire fixed cost per pass (adapter + session setup, no frames): ${((setup.medianSeconds * 1e6) / repeat).toFixed(0)} µs of ${perPassMicros.toFixed(0)} µs`,
  ];
  if (item.tardisReason !== undefined) peer = { name: 'tardis-dev', reason: item.tardisReason };
  else {
    const counts = tardisCounts(item.tardis, entries);
    notes.push(`tardis-dev normalized ${counts.trades} trades from ${tradeFrames} trade frames`);
    peer = {
      name: 'tardis-dev',
      measurement: await measure((timer) => {
        let n = 0;
        for (let r = 0; r < repeat; r++) n += tardisTrades(item.tardis, entries, timer);
        return n;
      }, options),
    };
  }
  return {
    scenario: 'trades',
    case: `normalize trades ${venue.id}`,
    input: `${venue.file}: ${frames.length} frames (${tradeFrames} trade frames + acks/heartbeats) × ${repeat}`,
    unit: 'frame',
    ours: { name: 'adapter session, trade channel', measurement: ours },
    peers: [peer],
    targets: [{ peer: 'tardis-dev', kind: 'speedup', bound: 2 }],
    notes: [...notes, 'Tickwire: exact decimal text, validated; tardis-dev: float price/amount'],
  };
}

export const tradesScenario: Scenario = {
  id: 'trades',
  title: 'Normalize trades per venue vs tardis-dev',
  async run(options, report) {
    for (const item of CASES) report(await row(item, options));
  },
};
