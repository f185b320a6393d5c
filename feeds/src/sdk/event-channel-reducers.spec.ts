import { describe, expect, it } from 'vitest';
import type { ChannelName, ChannelPayloads, SnapshotMessage, UpdateMessage } from '../api/protocol';
import {
  InstrumentsReducer,
  LatestStateReducer,
  RECENT_TRADES_KEPT,
  RecentCandlesReducer,
  RecentTradesReducer,
} from './event-channel-reducers';
import { bbo, candle, instrument, level, trade } from './test-support/wire-data';

const BTC = 'binance:BTC-USDT';

function snapshot<C extends ChannelName>(
  channel: C,
  seq: number,
  data: ChannelPayloads[C]['snapshot'],
): SnapshotMessage<C> {
  return { type: 'snapshot', channel, instrument: BTC, seq, data };
}

function update<C extends ChannelName>(channel: C, seq: number, data: ChannelPayloads[C]['update']): UpdateMessage<C> {
  return { type: 'update', channel, instrument: BTC, seq, data };
}

describe('event channel reducers', () => {
  it('pass messages through unchanged and show nothing before a snapshot', () => {
    const reducer = new LatestStateReducer<'bbo'>();
    expect(reducer.current()).toBeUndefined();
    const message = snapshot('bbo', 0, bbo(level('1', '1'), null));
    expect(reducer.snapshot(message)).toBe(message);
    expect(reducer.current()).toBe(message);
    const next = update('bbo', 1, bbo(level('1', '2'), level('2', '1')));
    expect(reducer.update(next)).toBe(next);
    expect(reducer.current()).toEqual({ type: 'snapshot', channel: 'bbo', instrument: BTC, seq: 1, data: next.data });
  });

  it('keeps the latest trades, oldest first, up to a snapshot’s worth', () => {
    const reducer = new RecentTradesReducer();
    reducer.snapshot(snapshot('trades', 0, [trade('0', '1', '1')]));
    const batch = Array.from({ length: RECENT_TRADES_KEPT + 5 }, (_, i) => trade(String(i + 1), '1', '1'));
    reducer.update(update('trades', 1, batch));
    const ids = reducer.current()!.data.map((t) => t.id);
    expect(ids).toHaveLength(RECENT_TRADES_KEPT);
    expect(ids[0]).toBe('6');
    expect(ids.at(-1)).toBe(String(RECENT_TRADES_KEPT + 5));
  });

  it('replaces the candle with the same open time and adds new ones in time order', () => {
    const reducer = new RecentCandlesReducer();
    reducer.snapshot(snapshot('candles', 0, [candle(0, '1', true), candle(60, '2')]));
    reducer.update(update('candles', 1, candle(60, '3', true)));
    reducer.update(update('candles', 2, candle(120, '4')));
    const data = reducer.current()!.data;
    expect(data.map((c) => [c.openTime, c.close, c.closed])).toEqual([
      [0, '1', true],
      [60, '3', true],
      [120, '4', false],
    ]);
  });

  it('merges instrument updates by name and starts over on a snapshot', () => {
    const reducer = new InstrumentsReducer();
    reducer.snapshot(snapshot('instruments', 0, [instrument('a:X-Y')]));
    reducer.update(update('instruments', 1, [instrument('b:X-Y'), { ...instrument('a:X-Y'), venueSymbol: 'renamed' }]));
    expect(reducer.current()!.data.map((i) => [i.instrument, i.venueSymbol])).toEqual([
      ['a:X-Y', 'renamed'],
      ['b:X-Y', 'XY'],
    ]);
    reducer.snapshot(snapshot('instruments', 5, [instrument('c:X-Y')]));
    expect(reducer.current()!.data.map((i) => i.instrument)).toEqual(['c:X-Y']);
  });
});
