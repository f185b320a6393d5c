import type { DecimalString, PriceLevel } from '@tickwire/feeds';
import { bucketPrice, effectiveTick, groupLevels, groupingOptions } from './price-grouping';

const d = (value: string): DecimalString => value as DecimalString;
const levels = (...pairs: [string, string][]): PriceLevel[] => pairs.map(([price, size]) => [d(price), d(size)]);

describe('bucketPrice', () => {
  it('rounds bids down and asks up to a multiple of the step, exactly', () => {
    expect(bucketPrice(d('0.79087'), d('0.001'), 'bid')).toBe('0.79');
    expect(bucketPrice(d('0.79087'), d('0.001'), 'ask')).toBe('0.791');
    expect(bucketPrice(d('64000.15'), d('0.5'), 'bid')).toBe('64000');
    expect(bucketPrice(d('64000.15'), d('0.5'), 'ask')).toBe('64000.5');
    // 0.1 + 0.2 territory: no float drift.
    expect(bucketPrice(d('0.3'), d('0.1'), 'bid')).toBe('0.3');
    expect(bucketPrice(d('0.30000001'), d('0.1'), 'ask')).toBe('0.4');
  });

  it('leaves a price already on the grid as it is', () => {
    expect(bucketPrice(d('0.79'), d('0.01'), 'ask')).toBe('0.79');
    expect(bucketPrice(d('100'), d('25'), 'bid')).toBe('100');
  });

  it('refuses a zero step', () => {
    expect(() => bucketPrice(d('1'), d('0'), 'bid')).toThrow(RangeError);
  });
});

describe('groupLevels', () => {
  it('merges adjacent levels into buckets and sums their sizes exactly', () => {
    const bids = levels(['0.7908', '820'], ['0.7907', '0.1'], ['0.7905', '0.2'], ['0.7899', '5']);
    expect(groupLevels(bids, d('0.001'), 'bid')).toEqual(levels(['0.79', '820.3'], ['0.789', '5']));
    const asks = levels(['0.7923', '1.5'], ['0.7924', '2'], ['0.793', '5'], ['0.7931', '1']);
    expect(groupLevels(asks, d('0.001'), 'ask')).toEqual(levels(['0.793', '8.5'], ['0.794', '1']));
  });

  it('returns the very same array when the step changes nothing', () => {
    const bids = levels(['0.7908', '820'], ['0.7907', '1']);
    expect(groupLevels(bids, d('0.00000001'), 'bid')).toBe(bids);
  });

  it('keeps the order best first and handles an empty side', () => {
    expect(groupLevels([], d('1'), 'bid')).toEqual([]);
    const bids = levels(['105', '1'], ['104', '1'], ['99', '2'], ['90', '3']);
    expect(groupLevels(bids, d('10'), 'bid')).toEqual(levels(['100', '2'], ['90', '5']));
  });
});

describe('effectiveTick and groupingOptions', () => {
  it('raises a too-fine tick to the precision the prices have', () => {
    expect(effectiveTick(d('0.00000001'), [d('0.7908'), d('0.79'), d('0.7923')])).toBe('0.0001');
    expect(effectiveTick(d('0.01'), [d('64000.1'), d('64000.15')])).toBe('0.01');
    expect(effectiveTick(d('0.01'), [d('64000.1')])).toBe('0.1');
    expect(effectiveTick(d('0.5'), [d('100')])).toBe('0.5');
    expect(effectiveTick(d('0.001'), [])).toBe('0.001');
  });

  it('offers "none" (the tick) and coarser multiples of the effective tick', () => {
    expect(groupingOptions(d('0.00000001'), d('0.0001')).map((option) => option.label)).toEqual([
      'none',
      '0.001',
      '0.01',
      '0.1',
      '1',
    ]);
    expect(groupingOptions(d('0.00000001'), d('0.0001'))[0]?.step).toBe('0.00000001');
  });
});
