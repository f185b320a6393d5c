import type { RingBuffer } from '../../core/ring-buffer';
import { MONO_BOLD_FONT, MONO_FONT, PALETTE, monoCharWidth } from '../canvas/canvas-surface';
import { ColumnMeasure, alignPad } from '../canvas/decimal-align';
import type { SizeScale, TapeEntry } from './tape-entry';

export const TAPE_ROW_HEIGHT = 18;
export const TAPE_HEADER_HEIGHT = 22;

/** Widest price and size columns on screen (module-level: reused every frame). */
const PRICES = new ColumnMeasure();
const SIZES = new ColumnMeasure();

export function tapeVisibleRows(height: number): number {
  return Math.max(1, Math.floor((height - TAPE_HEADER_HEIGHT) / TAPE_ROW_HEIGHT));
}

/**
 * Draws the rows of the tape visible at `offset` (0 = the newest trade at the top): only those
 * rows are touched whatever the ring holds (virtualized), from prepared strings (no allocation).
 */
export function drawTape(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  ring: RingBuffer<TapeEntry>,
  scale: SizeScale,
  offset: number,
): void {
  const rows = tapeVisibleRows(height);
  // Columns sized to the longest price and size on screen; milliseconds go when the tape is narrow.
  const char = monoCharWidth(context);
  PRICES.reset();
  SIZES.reset();
  for (let row = 0; row < rows; row++) {
    const entry = ring.newest(offset + row);
    if (entry === undefined) break;
    PRICES.add(entry.trade.price);
    SIZES.add(entry.trade.size);
  }
  const priceChars = Math.max(5, PRICES.chars);
  const sizeChars = Math.max(4, SIZES.chars);
  const timeLeft = 8;
  const longTime = width - 16 - (12 + priceChars + sizeChars) * char >= 24;
  const timeEnd = timeLeft + (longTime ? 12 : 8) * char;
  const sizeRight = width - 8;
  const spare = Math.max(12, sizeRight - sizeChars * char - timeEnd - priceChars * char);
  const priceRight = Math.round(timeEnd + spare / 2 + priceChars * char);
  context.font = MONO_FONT;
  context.textBaseline = 'middle';
  context.fillStyle = PALETTE.muted;
  context.textAlign = 'left';
  context.fillText('Time (UTC)', timeLeft, TAPE_HEADER_HEIGHT / 2);
  context.textAlign = 'right';
  context.fillText('Price', priceRight, TAPE_HEADER_HEIGHT / 2);
  context.fillText('Size', sizeRight, TAPE_HEADER_HEIGHT / 2);
  context.fillStyle = PALETTE.grid;
  context.fillRect(0, TAPE_HEADER_HEIGHT - 1, width, 1);
  const barMax = Math.round(width * 0.3);
  for (let row = 0; row < rows; row++) {
    const entry = ring.newest(offset + row);
    if (entry === undefined) break;
    const top = TAPE_HEADER_HEIGHT + row * TAPE_ROW_HEIGHT;
    const middle = top + TAPE_ROW_HEIGHT / 2;
    const side = entry.trade.side;
    const big = scale.isBig(entry.sizeValue);
    const barWidth = Math.max(1, Math.round(scale.fraction(entry.sizeValue) * barMax));
    context.globalAlpha = big ? 0.55 : 0.22;
    context.fillStyle = side === 'sell' ? PALETTE.ask : side === 'buy' ? PALETTE.bid : PALETTE.muted;
    context.fillRect(width - barWidth, top + 1, barWidth, TAPE_ROW_HEIGHT - 2);
    context.globalAlpha = 1;
    context.font = big ? MONO_BOLD_FONT : MONO_FONT;
    context.textAlign = 'left';
    context.fillStyle = PALETTE.muted;
    context.fillText(longTime ? entry.time : entry.shortTime, timeLeft, middle);
    context.textAlign = 'right';
    context.fillStyle = side === 'sell' ? PALETTE.ask : side === 'buy' ? PALETTE.bid : PALETTE.text;
    context.fillText(entry.trade.price, priceRight - alignPad(entry.trade.price, PRICES.fraction) * char, middle);
    context.fillStyle = big ? PALETTE.warn : PALETTE.text;
    context.fillText(entry.trade.size, sizeRight - alignPad(entry.trade.size, SIZES.fraction) * char, middle);
  }
  context.font = MONO_FONT;
  if (ring.size === 0) {
    context.textAlign = 'center';
    context.fillStyle = PALETTE.muted;
    context.fillText('no trades yet', width / 2, TAPE_HEADER_HEIGHT + 2 * TAPE_ROW_HEIGHT);
  }
}
