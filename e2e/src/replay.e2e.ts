import { expect, test } from '@playwright/test';
import { type CandleEvent, ExactSum, subtractDecimals } from '@tickwire/feeds';
import { type ExpectedInstrument, expectedInstrument, tapeTime } from './expected-replay';
import { TerminalPage, boxOf, first, last } from './terminal-page';

/*
 * The gateway replays a real Coinbase Exchange capture (e2e/gateway-replay.config.json). Once the
 * replay has ended, what the terminal shows must equal what feeds computes in-process from the
 * same recording: the ladder's levels, the last trades, the candles.
 */

const SKL = 'coinbase:SKL-USD';
const DASH = 'coinbase:DASH-BTC';
const LEVELS = 10;
const TRADES = 20;

let skl: ExpectedInstrument;
let dash: ExpectedInstrument;

test.beforeAll(async () => {
  [skl, dash] = await Promise.all([expectedInstrument('SKL-USD'), expectedInstrument('DASH-BTC')]);
  expect(skl.trades.length).toBeGreaterThan(TRADES);
  expect(dash.trades.length).toBeGreaterThan(5);
});

let errors: string[] = [];

// Each test has a fresh browser context: no remembered focus, interval or layout.
test.beforeEach(async ({ page }) => {
  errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 720 });
});

test.afterEach(() => {
  expect(errors, 'errors in the browser console').toEqual([]);
});

/** Ladder rows as the terminal should draw them: price, size, exact cumulative size. */
function ladderOf(levels: ExpectedInstrument['bids'], count: number): string[][] {
  const total = new ExactSum();
  return levels.slice(0, count).map(([price, size]) => [price, size, total.add(size).value()]);
}

function tapeOf(expected: ExpectedInstrument, count: number): string[][] {
  return expected.trades
    .slice(-count)
    .reverse()
    .map((trade) => [tapeTime(trade.venueTime ?? trade.receiveTime), trade.side, trade.price, trade.size]);
}

/** Focuses an instrument from the watchlist and waits until the terminal shows it. */
async function focus(terminal: TerminalPage, instrument: string): Promise<void> {
  await terminal.watchRow(instrument).click();
  await expect(terminal.page.getByTestId('focused-instrument')).toContainText(instrument.split(':')[1] ?? instrument);
}

async function expectLegend(terminal: TerminalPage, candle: CandleEvent, count: number): Promise<void> {
  const legend = terminal.legend();
  await expect(legend).toHaveAttribute('data-candles', String(count));
  await expect(legend).toHaveAttribute('data-open-time', String(candle.openTime));
  await expect(legend.getByTestId('legend-open')).toHaveText(candle.open);
  await expect(legend.getByTestId('legend-high')).toHaveText(candle.high);
  await expect(legend.getByTestId('legend-low')).toHaveText(candle.low);
  await expect(legend.getByTestId('legend-close')).toHaveText(candle.close);
  await expect(legend.getByTestId('legend-volume')).toHaveText(candle.volume);
}

test('the ladder and the tape show the final book and the last trades of the replayed recording', async ({ page }) => {
  const terminal = new TerminalPage(page);
  await terminal.open();
  await focus(terminal, SKL);
  await expect(page.getByTestId('banner-replay')).toBeVisible();
  await expect(page.getByTestId('venue-status')).toHaveAttribute('data-state', 'replay');

  // Wait on the DOM for the replay's end state, then compare it row by row.
  const bestBid = terminal.ladderRows('bid').first();
  await expect(bestBid.locator('td').nth(1)).toHaveText(first(skl.bids)[0], { timeout: 45_000 });
  await expect(terminal.ladderRows('ask').first().locator('td').nth(1)).toHaveText(first(skl.asks)[0]);
  await expect.poll(() => terminal.ladder('bid', LEVELS), { timeout: 45_000 }).toEqual(ladderOf(skl.bids, LEVELS));
  await expect.poll(() => terminal.ladder('ask', LEVELS)).toEqual(ladderOf(skl.asks, LEVELS));
  await expect.poll(() => terminal.tape(TRADES), { timeout: 45_000 }).toEqual(tapeOf(skl, TRADES));
  await expect(terminal.spread()).toHaveText(subtractDecimals(first(skl.asks)[0], first(skl.bids)[0]));

  // The watchlist's last price is the last trade's.
  await expect(terminal.watchRow(SKL).getByTestId('watch-last')).toHaveText(last(skl.trades).price);
  await expect(terminal.watchRow(DASH).getByTestId('watch-last')).toHaveText(last(dash.trades).price);
  const volume = new ExactSum();
  for (const trade of skl.trades) volume.add(trade.size);
  await expect(terminal.watchRow(SKL).getByTestId('watch-volume')).toHaveAttribute('title', `volume ${volume.value()}`);
  await expect(page.getByTestId('depth-summary')).toContainText(`Σ bids `);
});

test('the chart holds the expected candles and switches interval', async ({ page }) => {
  const terminal = new TerminalPage(page);
  await terminal.open();
  await focus(terminal, SKL);
  await expect(page.getByTestId('interval-1m')).toHaveAttribute('aria-pressed', 'true');
  const minutes = skl.candles['1m'];
  await expectLegend(terminal, last(minutes), minutes.length);

  await page.getByTestId('interval-1s').click();
  await expect(page.getByTestId('interval-1s')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('interval-1m')).toHaveAttribute('aria-pressed', 'false');
  const seconds = skl.candles['1s'];
  expect(seconds.length).toBeGreaterThan(minutes.length);
  await expectLegend(terminal, last(seconds), seconds.length);

  // The crosshair shows the candle under it, from the exact strings.
  const chart = page.getByTestId('candle-chart');
  const box = await boxOf(chart);
  // Sweep right to left across the plot until the crosshair is over a candle.
  for (let fraction = 0.85; fraction > 0.1; fraction -= 0.05) {
    await page.mouse.move(box.x + box.width * fraction, box.y + box.height * 0.4);
    if ((await terminal.legend().textContent())?.includes('(crosshair)') === true) break;
  }
  await expect(terminal.legend()).toContainText('(crosshair)');
  const hoveredOpen = Number(await terminal.legend().getAttribute('data-open-time'));
  const hovered = seconds.find((candle) => candle.openTime === hoveredOpen);
  if (hovered === undefined) throw new Error(`no expected candle opened at ${hoveredOpen}`);
  await expect(terminal.legend().getByTestId('legend-close')).toHaveText(hovered.close);

  // The interval is remembered.
  await page.reload();
  await expect(page.getByTestId('interval-1s')).toHaveAttribute('aria-pressed', 'true');
  await expectLegend(terminal, last(seconds), seconds.length);
});

test('switching symbol by click, keyboard and search follows in every widget', async ({ page }) => {
  const terminal = new TerminalPage(page);
  await terminal.open();
  // The first instrument (sorted by venue, then symbol) is focused at first.
  await expect(page.getByTestId('focused-instrument')).toContainText('DASH-BTC');
  await expect(terminal.watchRow(DASH)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => terminal.ladder('bid', 5), { timeout: 45_000 }).toEqual(ladderOf(dash.bids, 5));
  await expect.poll(() => terminal.ladder('ask', 5)).toEqual(ladderOf(dash.asks, 5));
  await expect.poll(() => terminal.tape(5)).toEqual(tapeOf(dash, 5));
  await expectLegend(terminal, last(dash.candles['1m']), dash.candles['1m'].length);

  // ↓ in the list moves to SKL-USD, and every widget follows.
  await page.getByTestId('watchlist').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('focused-instrument')).toContainText('SKL-USD');
  await expect(terminal.watchRow(SKL)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => terminal.ladder('bid', 3)).toEqual(ladderOf(skl.bids, 3));
  await expect.poll(() => terminal.tape(3)).toEqual(tapeOf(skl, 3));
  await expectLegend(terminal, last(skl.candles['1m']), skl.candles['1m'].length);

  // A click switches back.
  await terminal.watchRow(DASH).click();
  await expect(page.getByTestId('focused-instrument')).toContainText('DASH-BTC');
  await expect.poll(() => terminal.ladder('ask', 3)).toEqual(ladderOf(dash.asks, 3));

  // "/" jumps to the search box; Enter focuses the first match.
  await page.getByTestId('pane-chart').click();
  await page.keyboard.press('/');
  await expect(page.getByTestId('symbol-search')).toBeFocused();
  await page.keyboard.type('skl');
  await expect(page.getByTestId('watchlist').locator('[role="option"]')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('focused-instrument')).toContainText('SKL-USD');
  await expect.poll(() => terminal.tape(3)).toEqual(tapeOf(skl, 3));

  // The focus survives a reload.
  await page.reload();
  await expect(page.getByTestId('focused-instrument')).toContainText('SKL-USD');
});

test('grouping merges the ladder levels into multiples of the tick', async ({ page }) => {
  const terminal = new TerminalPage(page);
  await terminal.open();
  await focus(terminal, SKL);
  await expect.poll(() => terminal.ladder('bid', 3), { timeout: 45_000 }).toEqual(ladderOf(skl.bids, 3));
  const grouping = page.getByTestId('ladder-grouping');
  await expect(grouping.locator('option')).toHaveText(['none', '0.001', '0.01', '0.1', '1']);
  await grouping.selectOption({ label: '0.01' });
  // Bids round down to 0.01: the best bid (0.79xx) falls in the 0.79 bucket with every bid down to 0.79.
  expect(first(skl.bids)[0]).toMatch(/^0\.79\d*$/);
  const sum = new ExactSum();
  for (const [price, size] of skl.bids) if (price.startsWith('0.79')) sum.add(size);
  const best = terminal.ladderRows('bid').first().locator('td');
  await expect(best.nth(1)).toHaveText('0.79');
  await expect(best.nth(2)).toHaveText(sum.value());
  // The spread stays the book's own, not the distance between buckets.
  await expect(terminal.spread()).toHaveText(subtractDecimals(first(skl.asks)[0], first(skl.bids)[0]));
});

test('panes resize from the keyboard and remember their sizes', async ({ page }) => {
  const terminal = new TerminalPage(page);
  await terminal.open();
  const ladder = page.getByTestId('pane-ladder');
  const before = (await boxOf(ladder)).width;
  await page.getByTestId('splitter-ladder').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await boxOf(ladder)).width).toBe(before + 32);
  await page.reload();
  await expect.poll(async () => (await boxOf(ladder)).width).toBe(before + 32);
});
