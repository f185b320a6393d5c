/*
 * Scenario 3, L2 apply per venue: snapshot + the recorded diffs → book, with the venue's
 * verification on (Binance pu chain against the REST snapshot, Kraken CRC32 after every update,
 * OKX CRC32 top 25; Coinbase Exchange carries neither). Tickwire: the adapter session on the book
 * frames only. Peers on the same entries: tardis-dev normalizeBookChanges + OrderBook (no
 * checksum or sequence checks) and ccxt pro's own handler + OrderBook (it checks the
 * Binance pu chain only). Every implementation reads best bid/ask after each frame.
 */
import { measure } from '../harness/measure';
import { scaled, type BenchOptions } from '../harness/options';
import type { Figure, Row, Scenario } from '../harness/result';
import { CCXT_KRAKEN_REASON, ccxtBinance, ccxtCoinbase, ccxtOkx, type CcxtRun } from '../peers/ccxt';
import { type TardisExchange, tardisBooks, tardisCounts } from '../peers/tardis';
import { SIMULATED_BINANCE } from './simulated';
import {
  BINANCE,
  COINBASE,
  KRAKEN,
  OKX,
  onlyFrames,
  receivedTexts,
  type RecordingEntry,
  runTickwire,
  tickwireSummary,
  type RecordedVenue,
} from './venues';

const CASES: {
  venue: RecordedVenue;
  verification: string;
  tardis: TardisExchange;
  ccxt: ((entries: readonly RecordingEntry[]) => CcxtRun) | string;
  /** Passes per run (the simulated input is large). */
  repeat?: number;
  /** What ccxt verifies on this input. */
  ccxtChecks?: string;
}[] = [
  {
    venue: BINANCE,
    verification: 'pu chain + snapshot bracketing',
    tardis: 'binance-futures',
    ccxt: (entries) => ccxtBinance('usdm', entries),
    ccxtChecks: 'pu chain',
  },
  { venue: KRAKEN, verification: 'CRC32 checksum after every update', tardis: 'kraken', ccxt: CCXT_KRAKEN_REASON },
  {
    venue: OKX,
    verification: 'CRC32 checksum (top 25) per frame',
    tardis: 'okex',
    ccxt: ccxtOkx,
    ccxtChecks: 'nothing (seqId/prevSeqId only, absent in this capture; no checksum)',
  },
  {
    venue: SIMULATED_BINANCE,
    verification: 'U/u chain + snapshot bracketing',
    tardis: 'binance',
    ccxt: (entries) => ccxtBinance('spot', entries),
    ccxtChecks: 'U/u chain',
    repeat: 1,
  },
  {
    venue: COINBASE,
    verification: 'none on this feed (no sequence); crossed-book check',
    tardis: 'coinbase',
    ccxt: ccxtCoinbase,
    ccxtChecks: 'nothing (the feed has no sequence)',
  },
];

async function row(item: (typeof CASES)[number], options: BenchOptions): Promise<Row> {
  const { venue } = item;
  const entries = onlyFrames(venue, await venue.entries(), venue.isBook, { rest: true });
  const frames = receivedTexts(entries);
  const bookFrames = frames.filter(venue.isBook).length;
  const snapshots = entries.filter((entry) => entry.kind === 'http').length;
  const repeat = scaled(options, item.repeat ?? (venue === COINBASE ? 5 : 20));
  const ours = await measure((timer) => {
    let n = 0;
    for (let r = 0; r < repeat; r++) n += runTickwire(venue, entries, timer);
    return n;
  }, options);
  const counts = tardisCounts(item.tardis, entries);
  const tardis: Figure = {
    name: 'tardis-dev',
    measurement: await measure((timer) => {
      let n = 0;
      for (let r = 0; r < repeat; r++) n += tardisBooks(item.tardis, entries, timer);
      return n;
    }, options),
  };
  const notes = [
    tickwireSummary(venue, entries),
    `tardis-dev: ${counts.bookChanges} book changes, no checksum/sequence check`,
  ];
  let ccxt: Figure;
  if (typeof item.ccxt === 'string') ccxt = { name: 'ccxt', reason: item.ccxt };
  else {
    const peer = item.ccxt(entries);
    ccxt = {
      name: 'ccxt',
      measurement: await measure((timer) => {
        let n = 0;
        for (let r = 0; r < repeat; r++) n += peer.run(entries, timer);
        return n;
      }, options),
    };
    notes.push(`ccxt verifies ${item.ccxtChecks ?? 'nothing'}; books after a pass: ${peer.books()}`);
  }
  return {
    scenario: 'l2',
    case: `L2 apply ${venue.id}`,
    input: `${venue.file}: ${frames.length} frames (${bookFrames} book frames${snapshots > 0 ? ` + ${snapshots} REST snapshots` : ''}) × ${repeat}; verification: ${item.verification}`,
    unit: 'frame',
    ours: { name: 'adapter session, book channel (exact decimals, verified)', measurement: ours },
    peers: [tardis, ccxt],
    targets: [
      { peer: 'tardis-dev', kind: 'speedup', bound: 2 },
      { peer: 'ccxt', kind: 'speedup', bound: 3 },
    ],
    notes,
  };
}

export const l2Scenario: Scenario = {
  id: 'l2',
  title: 'L2 apply (snapshot + diffs, verified) vs tardis-dev and ccxt',
  async run(options, report) {
    for (const item of CASES) report(await row(item, options));
  },
};
