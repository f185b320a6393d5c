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
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { type DecimalString, type PriceLevel, type WireInstrument } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import { effectiveTick, groupingOptions } from '../../core/price-grouping';
import { BOOK_STREAM } from '../../data/book-stream';
import { FrameScheduler } from '../../data/frame-scheduler';
import { TelemetryService } from '../../data/telemetry.service';
import { TICKWIRE_CLIENT } from '../../data/tickwire-client';
import { CanvasSurface, PALETTE } from '../canvas/canvas-surface';
import { TableMirror } from '../canvas/table-mirror';
import { LadderModel } from './ladder-model';
import { drawLadder, ladderRowsPerSide } from './ladder-renderer';

const MIRROR_ROWS = 2 * 40 + 1;
/** Levels per side observed while grouped (the API's maximum). */
const GROUPED_DEPTH = 1000;

/**
 * Order book ladder on a canvas: price, size and cumulative size per level, depth bars, the spread
 * row, grouping by multiples of the tick, changed levels highlighted. Book views from the SDK only
 * mark the ladder dirty; it is rebuilt and drawn once per animation frame. A hidden table mirrors
 * the drawn rows (screen readers, tests).
 */
@Component({
  selector: 'tw-order-book',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './order-book.component.html',
  styleUrl: './order-book.component.css',
})
export class OrderBookComponent {
  readonly instrument = input.required<WireInstrument>();

  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly frames = inject(FrameScheduler);
  private readonly telemetry = inject(TelemetryService);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly body = viewChild.required<ElementRef<HTMLTableSectionElement>>('body');

  /** 0: no grouping; else a multiple of the effective tick. */
  protected readonly multiple = signal(0);
  private readonly grouped = computed(() => this.multiple() !== 0);
  /** The finest useful step of this instrument, known from its first book. */
  protected readonly baseStep = signal<DecimalString | undefined>(undefined);
  protected readonly hasBook = computed(() => this.instrument().channels.includes('book'));
  protected readonly options = computed(() => {
    const tick = this.instrument().tickSize;
    return groupingOptions(tick, this.baseStep() ?? tick);
  });

  private readonly model = new LadderModel();
  private surface: CanvasSurface | undefined;
  private mirror: TableMirror | undefined;
  private subscription: Subscription | undefined;
  private bids: readonly PriceLevel[] = [];
  private asks: readonly PriceLevel[] = [];
  private highlight = false;
  private dirty = true;
  private step: DecimalString = '1' as DecimalString;
  private readonly frame = (): void => {
    this.draw();
  };

  constructor() {
    effect(() => {
      this.instrument();
      untracked(() => {
        this.reset();
      });
    });
    effect(() => {
      const instrument = this.instrument();
      const grouped = this.grouped();
      untracked(() => {
        this.follow(instrument, grouped);
      });
    });
    effect(() => {
      const multiple = this.multiple();
      const options = this.options();
      const option = options.find((candidate) => candidate.multiple === multiple) ?? options[0];
      this.step = option?.step ?? this.instrument().tickSize;
      this.invalidate();
    });
    afterNextRender(() => {
      this.surface = new CanvasSurface(this.canvas().nativeElement, () => {
        this.invalidate();
      });
      this.mirror = new TableMirror(this.body().nativeElement, MIRROR_ROWS, 4);
      this.invalidate();
    });
    inject(DestroyRef).onDestroy(() => {
      this.subscription?.unsubscribe();
      this.surface?.destroy();
      this.frames.cancel(this.frame);
    });
  }

  protected selectGrouping(value: string): void {
    const option = this.options().find((candidate) => String(candidate.multiple) === value);
    if (option !== undefined) this.multiple.set(option.multiple);
  }

  /** A new instrument: no levels, no grouping, until its first book. */
  private reset(): void {
    this.model.reset();
    this.bids = [];
    this.asks = [];
    this.baseStep.set(undefined);
    this.multiple.set(0);
    this.telemetry.resetLatency();
    this.invalidate();
  }

  /**
   * Observes the instrument's book: the shared 100-level stream, or, while grouped, a deeper one so
   * coarse buckets still fill the ladder (falling back to the shared one if the gateway refuses it).
   */
  private follow(instrument: WireInstrument, grouped: boolean, deep = grouped): void {
    this.subscription?.unsubscribe();
    const id = instrument.instrument;
    const onError = (error: unknown): void => {
      if (deep) {
        console.warn(`deep book of ${id} refused; grouping the top ${BOOK_STREAM.depth} levels`, error);
        this.follow(instrument, grouped, false);
      } else {
        console.error(`book of ${id} failed`, error);
      }
    };
    if (instrument.channels.includes('book')) {
      const options = deep ? { depth: GROUPED_DEPTH, intervalMs: BOOK_STREAM.intervalMs } : BOOK_STREAM;
      this.subscription = this.client.book(id, options).subscribe({
        next: (view) => {
          this.accept(view.bids, view.asks, view.type === 'update', view.venueTime, view.receiveTime, instrument);
        },
        error: onError,
      });
    } else {
      // Stocks have no book: their best bid and offer are the ladder's one level per side.
      this.subscription = this.client.bbo(id, { intervalMs: BOOK_STREAM.intervalMs }).subscribe({
        next: (message) => {
          const { bid, ask, venueTime, receiveTime } = message.data;
          this.accept(
            bid === null ? [] : [bid],
            ask === null ? [] : [ask],
            message.type === 'update',
            venueTime,
            receiveTime,
            instrument,
          );
        },
        error: onError,
      });
    }
    this.invalidate();
  }

  private accept(
    bids: readonly PriceLevel[],
    asks: readonly PriceLevel[],
    isUpdate: boolean,
    venueTime: number | null,
    receiveTime: number,
    instrument: WireInstrument,
  ): void {
    this.bids = bids;
    this.asks = asks;
    this.highlight ||= isUpdate;
    this.telemetry.countBook();
    this.telemetry.sampleLatency(venueTime, receiveTime);
    if (this.baseStep() === undefined && (bids.length > 0 || asks.length > 0)) {
      const prices = [...bids.slice(0, 20), ...asks.slice(0, 20)].map((level) => level[0]);
      this.baseStep.set(effectiveTick(instrument.tickSize, prices));
    }
    this.invalidate();
  }

  private invalidate(): void {
    this.dirty = true;
    this.frames.schedule(this.frame);
  }

  private draw(): void {
    const surface = this.surface;
    if (surface === undefined) return;
    const now = performance.now();
    const rows = ladderRowsPerSide(surface.height);
    if (this.dirty) {
      this.model.update(this.bids, this.asks, this.step, rows, now, this.highlight);
      this.highlight = false;
      this.dirty = false;
      this.writeMirror();
    }
    const context = surface.begin(PALETTE.background);
    const fading = drawLadder(context, surface.width, surface.height, this.model, rows, now);
    if (fading) this.frames.schedule(this.frame);
  }

  private writeMirror(): void {
    const mirror = this.mirror;
    if (mirror === undefined) return;
    let row = 0;
    const asks = this.model.asks;
    for (let index = 0; index < asks.count && index < MIRROR_ROWS / 2; index++) {
      const level = asks.levels[index] as PriceLevel;
      mirror.set(row++, 'ask', 'ask', level[0], level[1], asks.totals[index] ?? '');
    }
    if (this.model.spread !== undefined) mirror.set(row++, 'spread', 'spread', this.model.spread);
    const bids = this.model.bids;
    for (let index = 0; index < bids.count && index < MIRROR_ROWS / 2; index++) {
      const level = bids.levels[index] as PriceLevel;
      mirror.set(row++, 'bid', 'bid', level[0], level[1], bids.totals[index] ?? '');
    }
    mirror.truncate(row);
  }
}
