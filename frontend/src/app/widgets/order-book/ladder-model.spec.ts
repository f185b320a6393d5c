import type { DecimalString, PriceLevel } from '@tickwire/feeds';
import { LadderModel } from './ladder-model';

const d = (value: string): DecimalString => value as DecimalString;
const levels = (...pairs: [string, string][]): PriceLevel[] => pairs.map(([price, size]) => [d(price), d(size)]);

describe('LadderModel', () => {
  const bids = levels(['0.7908', '820'], ['0.7907', '8366.2'], ['0.79', '5']);
  const asks = levels(['0.7923', '3647.5'], ['0.793', '5']);

  it('pads prices to one number of places, totals exactly, and takes the spread', () => {
    const model = new LadderModel();
    model.update(bids, asks, d('0.00000001'), 10, 1000, false);
    expect(model.bids.priceText).toEqual(['0.7908', '0.7907', '0.7900']);
    expect(model.asks.priceText).toEqual(['0.7923', '0.7930']);
    expect(model.bids.totals).toEqual(['820', '9186.2', '9191.2']);
    expect(model.spread).toBe('0.0015');
    expect(model.maxTotal).toBeCloseTo(9191.2);
    // A snapshot highlights nothing.
    expect(model.bids.changedAt).toEqual([0, 0, 0]);
  });

  it('groups, and limits rows per side', () => {
    const model = new LadderModel();
    model.update(bids, asks, d('0.001'), 1, 1000, false);
    expect(model.bids.levels).toEqual(levels(['0.79', '9191.2']));
    expect(model.asks.levels).toEqual(levels(['0.793', '3652.5']));
    expect(model.bids.count).toBe(1);
    // The spread is the book's, not the buckets'.
    expect(model.spread).toBe('0.0015');
  });

  it('marks the levels whose size changed (or that appeared) with the update time', () => {
    const model = new LadderModel();
    model.update(bids, asks, d('0.00000001'), 10, 1000, false);
    const changed = levels(['0.7909', '1'], ['0.7908', '820'], ['0.7907', '1']);
    model.update(changed, asks, d('0.00000001'), 10, 2000, true);
    expect(model.bids.changedAt).toEqual([2000, 0, 2000]);
    expect(model.asks.changedAt).toEqual([0, 0]);
  });
});
