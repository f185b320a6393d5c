import { type DecimalString, type PriceLevel, midpoint } from '@tickwire/feeds';
import { accumulateDepth } from '../../core/depth-accumulation';
import { MONO_FONT, PALETTE } from '../canvas/canvas-surface';

const AXIS_HEIGHT = 20;
const TOP_PAD = 22;

/** One book view prepared for the depth chart: exact totals, and their floats for the pixels. */
export class DepthModel {
  bids: readonly PriceLevel[] = [];
  asks: readonly PriceLevel[] = [];
  readonly bidTotals: DecimalString[] = [];
  readonly askTotals: DecimalString[] = [];
  bidPrices: Float64Array<ArrayBuffer> = new Float64Array(0);
  askPrices: Float64Array<ArrayBuffer> = new Float64Array(0);
  bidValues: Float64Array<ArrayBuffer> = new Float64Array(0);
  askValues: Float64Array<ArrayBuffer> = new Float64Array(0);
  mid: DecimalString | undefined;
  bidLabel = '';
  askLabel = '';

  update(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    this.bids = bids;
    this.asks = asks;
    accumulateDepth(bids, this.bidTotals);
    accumulateDepth(asks, this.askTotals);
    // Decimal strings become numbers here, for pixel positions only.
    this.bidPrices = toFloats(bids, this.bidPrices, (level) => level[0]);
    this.askPrices = toFloats(asks, this.askPrices, (level) => level[0]);
    this.bidValues = toFloatsOf(this.bidTotals, this.bidValues);
    this.askValues = toFloatsOf(this.askTotals, this.askValues);
    const bestBid = bids[0];
    const bestAsk = asks[0];
    this.mid = bestBid !== undefined && bestAsk !== undefined ? midpoint(bestBid[0], bestAsk[0]) : undefined;
    this.bidLabel = `Σ bids ${this.bidTotals[bids.length - 1] ?? '0'}`;
    this.askLabel = `Σ asks ${this.askTotals[asks.length - 1] ?? '0'}`;
  }
}

function toFloats(
  levels: readonly PriceLevel[],
  out: Float64Array<ArrayBuffer>,
  pick: (level: PriceLevel) => string,
): Float64Array<ArrayBuffer> {
  const target = out.length >= levels.length ? out : new Float64Array(levels.length * 2);
  for (let index = 0; index < levels.length; index++) target[index] = Number(pick(levels[index] as PriceLevel));
  return target;
}

function toFloatsOf(values: readonly DecimalString[], out: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const target = out.length >= values.length ? out : new Float64Array(values.length * 2);
  for (let index = 0; index < values.length; index++) target[index] = Number(values[index]);
  return target;
}

/** Cumulative bids (left, green) and asks (right, red) as step areas around the mid price. */
export function drawDepth(context: CanvasRenderingContext2D, width: number, height: number, model: DepthModel): void {
  const bidCount = model.bids.length;
  const askCount = model.asks.length;
  context.font = MONO_FONT;
  context.textBaseline = 'middle';
  if (bidCount === 0 || askCount === 0) {
    context.fillStyle = PALETTE.muted;
    context.textAlign = 'center';
    context.fillText('waiting for both sides of the book…', width / 2, height / 2);
    return;
  }
  const bestBid = model.bidPrices[0] ?? 0;
  const bestAsk = model.askPrices[0] ?? 0;
  const mid = (bestBid + bestAsk) / 2;
  const low = model.bidPrices[bidCount - 1] ?? bestBid;
  const high = model.askPrices[askCount - 1] ?? bestAsk;
  const half = Math.max(mid - low, high - mid, Number.EPSILON);
  const xMin = mid - half;
  const plotBottom = height - AXIS_HEIGHT;
  const plotHeight = Math.max(1, plotBottom - TOP_PAD);
  const maxTotal = Math.max(model.bidValues[bidCount - 1] ?? 0, model.askValues[askCount - 1] ?? 0) || 1;
  const x = (price: number): number => ((price - xMin) / (2 * half)) * width;
  const y = (total: number): number => plotBottom - (total / maxTotal) * plotHeight;

  drawSide(context, model.bidPrices, model.bidValues, bidCount, x, y, plotBottom, 0, PALETTE.bidFill, PALETTE.bid);
  drawSide(context, model.askPrices, model.askValues, askCount, x, y, plotBottom, width, PALETTE.askFill, PALETTE.ask);

  // Mid line and axis.
  context.fillStyle = PALETTE.grid;
  context.fillRect(0, plotBottom, width, 1);
  context.fillRect(Math.round(width / 2), TOP_PAD, 1, plotHeight);
  const axisY = plotBottom + AXIS_HEIGHT / 2;
  context.fillStyle = PALETTE.muted;
  context.textAlign = 'left';
  context.fillText((model.bids[bidCount - 1] as PriceLevel)[0], 4, axisY);
  context.textAlign = 'right';
  context.fillText((model.asks[askCount - 1] as PriceLevel)[0], width - 4, axisY);
  context.textAlign = 'center';
  context.fillStyle = PALETTE.text;
  context.fillText(model.mid ?? '', width / 2, axisY);
  // Totals.
  context.textAlign = 'left';
  context.fillStyle = PALETTE.bid;
  context.fillText(model.bidLabel, 4, TOP_PAD / 2);
  context.textAlign = 'right';
  context.fillStyle = PALETTE.ask;
  context.fillText(model.askLabel, width - 4, TOP_PAD / 2);
}

function drawSide(
  context: CanvasRenderingContext2D,
  prices: Float64Array,
  totals: Float64Array,
  count: number,
  x: (price: number) => number,
  y: (total: number) => number,
  baseline: number,
  edge: number,
  fill: string,
  stroke: string,
): void {
  context.beginPath();
  context.moveTo(x(prices[0] ?? 0), baseline);
  let previousY = baseline;
  for (let index = 0; index < count; index++) {
    const px = x(prices[index] ?? 0);
    context.lineTo(px, previousY);
    previousY = y(totals[index] ?? 0);
    context.lineTo(px, previousY);
  }
  context.lineTo(edge, previousY);
  context.lineTo(edge, baseline);
  context.closePath();
  context.fillStyle = fill;
  context.fill();
  context.strokeStyle = stroke;
  context.lineWidth = 1.5;
  context.stroke();
}
