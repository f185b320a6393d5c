import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  untracked,
  viewChild,
} from '@angular/core';
import type { PriceLevel, WireInstrument } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import { FrameScheduler } from '../../data/frame-scheduler';
import { TICKWIRE_CLIENT } from '../../data/tickwire-client';
import { CanvasSurface, PALETTE } from '../canvas/canvas-surface';
import { BOOK_STREAM } from '../../data/book-stream';
import { DepthModel, drawDepth } from './depth-renderer';

/**
 * Depth chart on a canvas: cumulative bid and ask sizes around the mid price. It observes the same
 * book stream as the ladder (the SDK shares it), and draws once per animation frame.
 */
@Component({
  selector: 'tw-depth-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="pane-head"><h2>Depth</h2></header>
    @if (!hasBook()) {
      <p class="note">No order book on this venue: no depth to chart.</p>
    }
    <canvas #canvas class="depth" [hidden]="!hasBook()" aria-hidden="true" data-testid="depth-canvas"></canvas>
    <p class="visually-hidden" data-testid="depth-summary" #summary></p>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      height: 100%;
    }
    .note {
      margin: auto;
      color: var(--muted);
    }
    .depth {
      flex: 1;
      min-height: 0;
      width: 100%;
      display: block;
    }
    /* display: block above would otherwise override the hidden attribute (stocks: no book). */
    .depth[hidden] {
      display: none;
    }
  `,
})
export class DepthChartComponent {
  readonly instrument = input.required<WireInstrument>();
  protected readonly hasBook = computed(() => this.instrument().channels.includes('book'));

  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly frames = inject(FrameScheduler);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly summary = viewChild.required<ElementRef<HTMLParagraphElement>>('summary');
  private readonly model = new DepthModel();
  private surface: CanvasSurface | undefined;
  private subscription: Subscription | undefined;
  private bids: readonly PriceLevel[] = [];
  private asks: readonly PriceLevel[] = [];
  private dirty = true;
  private readonly frame = (): void => {
    this.draw();
  };

  constructor() {
    effect(() => {
      const instrument = this.instrument();
      untracked(() => {
        this.follow(instrument);
      });
    });
    afterNextRender(() => {
      this.surface = new CanvasSurface(this.canvas().nativeElement, () => {
        this.frames.schedule(this.frame);
      });
      this.frames.schedule(this.frame);
    });
    inject(DestroyRef).onDestroy(() => {
      this.subscription?.unsubscribe();
      this.surface?.destroy();
      this.frames.cancel(this.frame);
    });
  }

  private follow(instrument: WireInstrument): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.bids = [];
    this.asks = [];
    this.dirty = true;
    this.frames.schedule(this.frame);
    if (!instrument.channels.includes('book')) return;
    this.subscription = this.client.book(instrument.instrument, BOOK_STREAM).subscribe({
      next: (view) => {
        this.bids = view.bids;
        this.asks = view.asks;
        this.dirty = true;
        this.frames.schedule(this.frame);
      },
      error: (error: unknown) => {
        console.error(`depth of ${instrument.instrument} failed`, error);
      },
    });
  }

  private draw(): void {
    const surface = this.surface;
    if (surface === undefined) return;
    if (this.dirty) {
      this.model.update(this.bids, this.asks);
      this.dirty = false;
      const summary = `${this.model.bidLabel}; ${this.model.askLabel}; mid ${this.model.mid ?? '—'}`;
      const element = this.summary().nativeElement;
      if (element.textContent !== summary) element.textContent = summary;
    }
    const context = surface.begin(PALETTE.background);
    drawDepth(context, surface.width, surface.height, this.model);
  }
}
