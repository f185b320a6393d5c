import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  afterNextRender,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type { WireInstrument, WireTrade } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import { RingBuffer } from '../../core/ring-buffer';
import { FrameScheduler } from '../../data/frame-scheduler';
import { TelemetryService } from '../../data/telemetry.service';
import { TICKWIRE_CLIENT } from '../../data/tickwire-client';
import { CanvasSurface, PALETTE } from '../canvas/canvas-surface';
import { TableMirror } from '../canvas/table-mirror';
import { SizeScale, type TapeEntry, tapeEntry } from './tape-entry';
import { TAPE_ROW_HEIGHT, drawTape, tapeVisibleRows } from './tape-renderer';

/** Trades the tape keeps (memory bound); older ones fall off. */
export const TAPE_CAPACITY = 2000;
const MIRROR_ROWS = 30;

/**
 * Trades tape on a canvas: newest on top, side-coloured, big trades highlighted, virtualized over a
 * bounded ring (only the visible rows are drawn; the wheel scrolls back, new trades then keep the
 * view still until "latest" is pressed). Drawn once per animation frame.
 */
@Component({
  selector: 'tw-trades-tape',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './trades-tape.component.html',
  styleUrl: './trades-tape.component.css',
})
export class TradesTapeComponent {
  readonly instrument = input.required<WireInstrument>();

  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly frames = inject(FrameScheduler);
  private readonly telemetry = inject(TelemetryService);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly body = viewChild.required<ElementRef<HTMLTableSectionElement>>('body');

  /** Rows scrolled back from the newest trade (0: following the tape). */
  protected readonly paused = signal(false);
  private offset = 0;
  private readonly ring = new RingBuffer<TapeEntry>(TAPE_CAPACITY);
  private readonly scale = new SizeScale();
  private surface: CanvasSurface | undefined;
  private mirror: TableMirror | undefined;
  private mirrorDirty = true;
  private subscription: Subscription | undefined;
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
      this.mirror = new TableMirror(this.body().nativeElement, MIRROR_ROWS, 4);
      this.frames.schedule(this.frame);
    });
    inject(DestroyRef).onDestroy(() => {
      this.subscription?.unsubscribe();
      this.surface?.destroy();
      this.frames.cancel(this.frame);
    });
  }

  protected wheel(event: WheelEvent): void {
    event.preventDefault();
    const rows = Math.sign(event.deltaY) * Math.max(1, Math.round(Math.abs(event.deltaY) / TAPE_ROW_HEIGHT));
    this.scrollTo(this.offset + rows);
  }

  protected latest(): void {
    this.scrollTo(0);
  }

  private scrollTo(offset: number): void {
    const visible = this.surface === undefined ? 1 : tapeVisibleRows(this.surface.height);
    this.offset = Math.max(0, Math.min(offset, this.ring.size - visible));
    this.paused.set(this.offset > 0);
    this.frames.schedule(this.frame);
  }

  private follow(instrument: WireInstrument): void {
    this.subscription?.unsubscribe();
    this.ring.clear();
    this.scale.reset();
    this.scrollTo(0);
    this.subscription = this.client.trades(instrument.instrument).subscribe({
      next: (message) => {
        if (message.type === 'snapshot') {
          this.ring.clear();
          this.offset = 0;
        }
        this.add(message.data, message.type === 'update');
      },
      error: (error: unknown) => {
        console.error(`trades of ${instrument.instrument} failed`, error);
      },
    });
  }

  private add(trades: readonly WireTrade[], live: boolean): void {
    for (const trade of trades) {
      const entry = tapeEntry(trade);
      this.scale.add(entry.sizeValue);
      this.ring.push(entry);
    }
    const last = trades[trades.length - 1];
    if (live && last !== undefined) {
      this.telemetry.countTrades(trades.length);
      this.telemetry.sampleLatency(last.time, last.receiveTime);
    }
    // Scrolled back: keep the same trades in view while new ones arrive above.
    if (this.offset > 0) this.offset = Math.min(this.offset + trades.length, Math.max(0, this.ring.size - 1));
    this.mirrorDirty = true;
    this.frames.schedule(this.frame);
  }

  private draw(): void {
    const surface = this.surface;
    if (surface === undefined) return;
    const context = surface.begin(PALETTE.background);
    drawTape(context, surface.width, surface.height, this.ring, this.scale, this.offset);
    if (this.mirrorDirty) this.writeMirror();
  }

  private writeMirror(): void {
    const mirror = this.mirror;
    if (mirror === undefined) return;
    this.mirrorDirty = false;
    let row = 0;
    for (; row < MIRROR_ROWS; row++) {
      const entry = this.ring.newest(row);
      if (entry === undefined) break;
      mirror.set(row, entry.trade.side, entry.time, entry.trade.side, entry.trade.price, entry.trade.size);
    }
    mirror.truncate(row);
  }
}
