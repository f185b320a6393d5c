import type { DecimalString, PriceLevel } from '@tickwire/feeds';
import { accumulateDepth, depthProfile } from './depth-accumulation';

const level = (price: string, size: string): PriceLevel => [price as DecimalString, size as DecimalString];

describe('accumulateDepth', () => {
  it('sums sizes from the best level down, exactly', () => {
    expect(accumulateDepth([level('10', '0.1'), level('9', '0.2'), level('8', '0.3')])).toEqual(['0.1', '0.3', '0.6']);
  });

  it('stays exact beyond 2^53 units', () => {
    const totals = accumulateDepth([level('1', '9007199254740993'), level('0.9', '0.00000001')]);
    expect(totals).toEqual(['9007199254740993', '9007199254740993.00000001']);
  });

  it('reuses and trims the output array', () => {
    const out = accumulateDepth([level('1', '1'), level('2', '1'), level('3', '1')]);
    const again = accumulateDepth([level('1', '5')], out);
    expect(again).toBe(out);
    expect(again).toEqual(['5']);
  });

  it('profiles both sides', () => {
    const profile = depthProfile([level('10', '1'), level('9', '2')], [level('11', '3')]);
    expect(profile.bidTotals).toEqual(['1', '3']);
    expect(profile.askTotals).toEqual(['3']);
  });
});
