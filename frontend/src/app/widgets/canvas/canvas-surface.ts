/**
 * A canvas that keeps its backing store at the element's CSS size × devicePixelRatio (crisp text on
 * any screen) and asks for a redraw when it is resized. Drawing code works in CSS pixels.
 */
export class CanvasSurface {
  readonly context: CanvasRenderingContext2D;
  /** CSS pixels. */
  width = 0;
  height = 0;
  private readonly observer: ResizeObserver;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onResize: () => void,
  ) {
    const context = canvas.getContext('2d', { alpha: false });
    if (context === null) throw new Error('no 2d canvas context');
    this.context = context;
    this.observer = new ResizeObserver(() => {
      this.resize();
    });
    this.observer.observe(canvas);
    this.resize();
  }

  /** Prepares a frame: the transform for CSS pixels and a cleared background. */
  begin(background: string): CanvasRenderingContext2D {
    const context = this.context;
    const ratio = globalThis.devicePixelRatio || 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = background;
    context.fillRect(0, 0, this.width, this.height);
    return context;
  }

  destroy(): void {
    this.observer.disconnect();
  }

  private resize(): void {
    const ratio = globalThis.devicePixelRatio || 1;
    const width = Math.max(1, Math.floor(this.canvas.clientWidth));
    const height = Math.max(1, Math.floor(this.canvas.clientHeight));
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.onResize();
  }
}

/** The terminal's canvas palette (the same as styles.css). */
export const PALETTE = {
  background: '#0b0e13',
  panel: '#121722',
  grid: '#1f2633',
  text: '#d6dbe4',
  muted: '#8a94a6',
  bid: '#26a69a',
  ask: '#ef5350',
  bidBar: 'rgba(38, 166, 154, 0.22)',
  askBar: 'rgba(239, 83, 80, 0.22)',
  bidFill: 'rgba(38, 166, 154, 0.25)',
  askFill: 'rgba(239, 83, 80, 0.25)',
  highlightSolid: '#ffd666',
  warn: '#f0b429',
} as const;

export const MONO_FONT = '12px "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace';
export const MONO_BOLD_FONT = 'bold 12px "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace';

let cachedCharWidth = 0;

/** Advance of one character of MONO_FONT (measured once: the font is monospaced). */
export function monoCharWidth(context: CanvasRenderingContext2D): number {
  if (cachedCharWidth === 0) {
    const font = context.font;
    context.font = MONO_FONT;
    cachedCharWidth = context.measureText('0000000000').width / 10 || 7.2;
    context.font = font;
  }
  return cachedCharWidth;
}
