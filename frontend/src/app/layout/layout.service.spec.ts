import { clampSize, defaultSizes, parseSizes } from './layout.service';

describe('pane sizes', () => {
  const defaults = defaultSizes(1280);

  it('keep defaults for missing or malformed stored values and clamp the rest', () => {
    expect(parseSizes(null, defaults)).toBe(defaults);
    expect(parseSizes('not json', defaults)).toBe(defaults);
    expect(parseSizes(JSON.stringify({ watchlist: 300, ladder: 'wide', tape: 10_000 }), defaults)).toEqual({
      ...defaults,
      watchlist: 300,
      tape: 560,
    });
  });

  it('stay within each pane’s limits', () => {
    expect(clampSize('depth', 5)).toBe(110);
    expect(clampSize('ladder', 333.4)).toBe(333);
  });

  it('leave the chart at least half of a 1280 px screen by default', () => {
    const { watchlist, ladder, tape } = defaultSizes(1280);
    expect(1280 - watchlist - ladder - tape).toBeGreaterThanOrEqual(520);
    expect(defaultSizes(1920).ladder).toBeGreaterThan(defaults.ladder);
  });
});
