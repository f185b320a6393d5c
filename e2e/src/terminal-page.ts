import { type Locator, type Page, expect } from '@playwright/test';

/** The terminal's DOM hooks: the hidden tables that mirror what the canvases draw, the legend, the panes. */
export class TerminalPage {
  constructor(readonly page: Page) {}

  ladderRows(side: 'bid' | 'ask'): Locator {
    return this.page.getByTestId('ladder-table').locator(`tbody tr[data-side="${side}"]:not([hidden])`);
  }

  /** [price, size, total] of the first `count` ladder rows of a side, best first. */
  async ladder(side: 'bid' | 'ask', count: number): Promise<string[][]> {
    const rows = this.ladderRows(side);
    await expect(rows.nth(count - 1)).toBeAttached();
    return rows.evaluateAll(
      (elements, n) => elements.slice(0, n).map((row) => Array.from(row.children, (cell) => cell.textContent).slice(1)),
      count,
    );
  }

  /** The spread the ladder shows (the book's, exact). */
  spread(): Locator {
    return this.page.getByTestId('ladder-table').locator('tbody tr[data-side="spread"] td').nth(1);
  }

  tapeRows(): Locator {
    return this.page.getByTestId('tape-table').locator('tbody tr:not([hidden])');
  }

  /** [time, side, price, size] of the newest `count` trades, newest first. */
  async tape(count: number): Promise<string[][]> {
    await expect(this.tapeRows().nth(count - 1)).toBeAttached();
    return this.tapeRows().evaluateAll(
      (elements, n) => elements.slice(0, n).map((row) => Array.from(row.children, (cell) => cell.textContent)),
      count,
    );
  }

  legend(): Locator {
    return this.page.getByTestId('chart-legend');
  }

  watchRow(instrument: string): Locator {
    return this.page.getByTestId('watchlist').locator(`[data-instrument="${instrument}"]`);
  }

  async open(url = '/'): Promise<void> {
    await this.page.goto(url);
    await expect(this.page).toHaveTitle('Tickwire terminal');
  }
}

export function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

export function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

export async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (box === null) throw new Error('element not visible');
  return box;
}
