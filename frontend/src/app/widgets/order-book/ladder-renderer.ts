import type { PriceLevel } from '@tickwire/feeds';
import { MONO_BOLD_FONT, MONO_FONT, PALETTE, monoCharWidth } from '../canvas/canvas-surface';
import { ColumnMeasure, alignPad } from '../canvas/decimal-align';
import type { LadderModel, LadderSide } from './ladder-model';

export const LADDER_ROW_HEIGHT = 18;
export const LADDER_HEADER_HEIGHT = 22;
/** How long a changed level stays highlighted, fading out. */
export const HIGHLIGHT_MS = 700;

/** Rows per side that fit a canvas of this height (header, spread row, then bids and asks halves). */
export function ladderRowsPerSide(height: number): number {
  return Math.max(1, Math.floor((height - LADDER_HEADER_HEIGHT - LADDER_ROW_HEIGHT) / 2 / LADDER_ROW_HEIGHT));
}

/**
 * Draws the ladder: asks above the spread row (best ask nearest it), bids below, each row with its
 * cumulative-depth bar and a fading highlight when its size changed. Touches only prepared strings
 * and numbers: no allocation per frame. Returns true while a highlight is still fading (another
 * frame is wanted).
 */
export function drawLadder(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  model: LadderModel,
  rowsPerSide: number,
  now: number,
): boolean {
  // Columns sized to the longest text on screen, the spare width shared between them.
  const rows = Math.min(rowsPerSide, Math.max(model.bids.count, model.asks.count));
  const char = monoCharWidth(context);
  const priceChars = Math.max(5, longest(model.bids.priceText, rows), longest(model.asks.priceText, rows));
  measureSizes(model.bids, rows, SIZES.reset(), TOTALS.reset());
  measureSizes(model.asks, rows, SIZES, TOTALS);
  const sizeChars = Math.max(4, SIZES.chars);
  const totalChars = Math.max(5, TOTALS.chars);
  const gap = Math.max(6, (width - 24 - (priceChars + sizeChars + totalChars) * char) / 2);
  const priceRight = Math.round(8 + priceChars * char);
  const sizeRight = Math.round(priceRight + gap + sizeChars * char);
  const totalRight = width - 8;
  context.font = MONO_FONT;
  context.textBaseline = 'middle';
  context.textAlign = 'right';
  context.fillStyle = PALETTE.muted;
  const headerY = LADDER_HEADER_HEIGHT / 2;
  context.fillText('Price', priceRight, headerY);
  context.fillText('Size', sizeRight, headerY);
  context.fillText('Total', totalRight, headerY);
  context.fillStyle = PALETTE.grid;
  context.fillRect(0, LADDER_HEADER_HEIGHT - 1, width, 1);

  const spreadTop = LADDER_HEADER_HEIGHT + rowsPerSide * LADDER_ROW_HEIGHT;
  const columns = COLUMNS;
  columns.barLeft = priceRight + 6;
  columns.priceRight = priceRight;
  columns.sizeRight = sizeRight;
  columns.totalRight = totalRight;
  columns.char = char;
  const asksFading = drawSide(context, model.asks, model.maxTotal, 'ask', spreadTop, width, rowsPerSide, now, columns);
  const bidsTop = spreadTop + LADDER_ROW_HEIGHT;
  const bidsFading = drawSide(context, model.bids, model.maxTotal, 'bid', bidsTop, width, rowsPerSide, now, columns);
  const fading = asksFading || bidsFading;

  // Spread row.
  context.fillStyle = PALETTE.panel;
  context.fillRect(0, spreadTop, width, LADDER_ROW_HEIGHT);
  context.fillStyle = PALETTE.grid;
  context.fillRect(0, spreadTop, width, 1);
  context.fillRect(0, spreadTop + LADDER_ROW_HEIGHT - 1, width, 1);
  context.fillStyle = PALETTE.muted;
  context.textAlign = 'right';
  context.fillText('spread', sizeRight, spreadTop + LADDER_ROW_HEIGHT / 2);
  context.fillStyle = PALETTE.text;
  context.fillText(model.spreadText === '' ? '—' : model.spreadText, priceRight, spreadTop + LADDER_ROW_HEIGHT / 2);
  if (model.bids.count === 0 && model.asks.count === 0) {
    context.textAlign = 'center';
    context.fillStyle = PALETTE.muted;
    context.fillText('waiting for the book…', width / 2, Math.min(height - 12, spreadTop + LADDER_ROW_HEIGHT * 2));
  }
  return fading;
}

interface Columns {
  barLeft: number;
  priceRight: number;
  sizeRight: number;
  totalRight: number;
  char: number;
}

/** Column positions of the frame being drawn (one object, reused). */
const COLUMNS: Columns = { barLeft: 0, priceRight: 0, sizeRight: 0, totalRight: 0, char: 0 };

function longest(texts: readonly string[], rows: number): number {
  let length = 0;
  for (let index = 0; index < rows && index < texts.length; index++)
    length = Math.max(length, (texts[index] as string).length);
  return length;
}

/** Widest size and total columns on screen (module-level: reused every frame). */
const SIZES = new ColumnMeasure();
const TOTALS = new ColumnMeasure();

function measureSizes(side: LadderSide, rows: number, sizes: ColumnMeasure, totals: ColumnMeasure): void {
  for (let index = 0; index < rows && index < side.count; index++) {
    sizes.add((side.levels[index] as PriceLevel)[1]);
    totals.add(side.totals[index] ?? '');
  }
}

function drawSide(
  context: CanvasRenderingContext2D,
  side: LadderSide,
  maxTotal: number,
  kind: 'bid' | 'ask',
  /** asks: the bottom edge of the best ask; bids: the top edge of the best bid. */
  anchor: number,
  width: number,
  rowsPerSide: number,
  now: number,
  columns: Columns,
): boolean {
  const { barLeft, priceRight, sizeRight, totalRight, char } = columns;
  let fading = false;
  const rows = Math.min(rowsPerSide, side.count);
  for (let index = 0; index < rows; index++) {
    const top = kind === 'ask' ? anchor - (index + 1) * LADDER_ROW_HEIGHT : anchor + index * LADDER_ROW_HEIGHT;
    const middle = top + LADDER_ROW_HEIGHT / 2;
    const total = side.totalValue[index] ?? 0;
    // Float only here: the bar's pixel width.
    // Bars grow from the right edge over the size and total columns, never over the price.
    const barWidth = maxTotal > 0 ? Math.max(1, Math.round((total / maxTotal) * (width - barLeft))) : 0;
    context.fillStyle = kind === 'bid' ? PALETTE.bidBar : PALETTE.askBar;
    context.fillRect(width - barWidth, top + 1, barWidth, LADDER_ROW_HEIGHT - 2);
    const changedAt = side.changedAt[index] ?? 0;
    const age = now - changedAt;
    if (changedAt > 0 && age < HIGHLIGHT_MS) {
      fading = true;
      const strength = 1 - age / HIGHLIGHT_MS;
      context.fillStyle = PALETTE.highlightSolid;
      context.globalAlpha = 0.16 * strength;
      context.fillRect(0, top + 1, width, LADDER_ROW_HEIGHT - 2);
      context.globalAlpha = strength;
      context.fillRect(0, top + 1, 3, LADDER_ROW_HEIGHT - 2);
      context.globalAlpha = 1;
    }
    const level = side.levels[index] as PriceLevel;
    context.font = index === 0 ? MONO_BOLD_FONT : MONO_FONT;
    context.fillStyle = kind === 'bid' ? PALETTE.bid : PALETTE.ask;
    context.fillText(side.priceText[index] ?? level[0], priceRight, middle);
    context.fillStyle = PALETTE.text;
    context.fillText(level[1], sizeRight - alignPad(level[1], SIZES.fraction) * char, middle);
    context.fillStyle = PALETTE.muted;
    const totalText = side.totals[index] ?? '';
    context.fillText(totalText, totalRight - alignPad(totalText, TOTALS.fraction) * char, middle);
  }
  context.font = MONO_FONT;
  return fading;
}
