import { DatePipe } from '@angular/common';
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
import { type CandleInterval, type WireCandle, type WireInstrument, compareDecimals } from '@tickwire/feeds';
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type UTCTimestamp,
  createChart,
} from 'lightweight-charts';
import type { Subscription } from 'rxjs';
import { mergeCandles, upsertCandle } from '../../core/candle-merge';
import { fetchCandles } from '../../data/candles-rest';
import { FrameScheduler } from '../../data/frame-scheduler';
import { TICKWIRE_CLIENT } from '../../data/tickwire-client';
import { PALETTE } from '../canvas/canvas-surface';
import { CANDLE_COLORS, CHART_INTERVALS, candleBar, chartTime, pricePrecision, volumeBar } from './candle-bars';

const INTERVAL_KEY = 'tickwire.interval';
/** Candles kept on the chart (history plus live); older ones drop off. */
const MAX_CANDLES = 3000;
/** Fewer candles than this are fitted to the chart's width. */
const FIT_BELOW = 60;

/**
 * Candle chart with volume (lightweight-charts): history from REST, then the `candles` channel's
 * live updates, applied once per animation frame. The legend shows the candle under the crosshair
 * (or the latest) from the wire's exact decimal strings.
 */
@Component({
  selector: 'tw-candle-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  templateUrl: './candle-chart.component.html',
  styleUrl: './candle-chart.component.css',
})
export class CandleChartComponent {
  readonly instrument = input.required<WireInstrument>();

  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly frames = inject(FrameScheduler);
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('chart');

  protected readonly intervals = CHART_INTERVALS;
  protected readonly interval = signal<CandleInterval>(readInterval());
  protected readonly hovered = signal<WireCandle | undefined>(undefined);
  protected readonly latest = signal<WireCandle | undefined>(undefined);
  protected readonly count = signal(0);
  protected readonly loading = signal(true);
  protected readonly shown = computed(() => this.hovered() ?? this.latest());
  protected readonly direction = computed(() => {
    const candle = this.shown();
    return candle === undefined ? 'flat' : compareDecimals(candle.close, candle.open) >= 0 ? 'up' : 'down';
  });

  private chart: IChartApi | undefined;
  private candleSeries: ISeriesApi<'Candlestick'> | undefined;
  private volumeSeries: ISeriesApi<'Histogram'> | undefined;
  private candles: WireCandle[] = [];
  private readonly byTime = new Map<number, WireCandle>();
  private pending: WireCandle[] = [];
  private fullReset = true;
  private precision = -1;
  /** Time of the chart's last bar (the chart only appends to or replaces it). */
  private lastTime: UTCTimestamp | undefined;
  private generation = 0;
  private subscription: Subscription | undefined;
  private abort: AbortController | undefined;
  private readonly frame = (): void => {
    this.apply();
  };

  constructor() {
    effect(() => {
      const instrument = this.instrument();
      const interval = this.interval();
      untracked(() => {
        this.follow(instrument, interval);
      });
    });
    afterNextRender(() => {
      this.createChart();
      this.fullReset = true;
      this.frames.schedule(this.frame);
    });
    inject(DestroyRef).onDestroy(() => {
      this.subscription?.unsubscribe();
      this.abort?.abort();
      this.frames.cancel(this.frame);
      this.chart?.remove();
    });
  }

  protected select(interval: CandleInterval): void {
    this.interval.set(interval);
    try {
      globalThis.localStorage.setItem(INTERVAL_KEY, interval);
    } catch {
      // not remembered
    }
  }

  private follow(instrument: WireInstrument, interval: CandleInterval): void {
    const generation = ++this.generation;
    this.subscription?.unsubscribe();
    this.abort?.abort();
    this.candles = [];
    this.byTime.clear();
    this.pending = [];
    this.fullReset = true;
    this.precision = -1;
    this.lastTime = undefined;
    this.hovered.set(undefined);
    this.latest.set(undefined);
    this.loading.set(true);
    this.frames.schedule(this.frame);
    const id = instrument.instrument;
    const abort = new AbortController();
    this.abort = abort;
    fetchCandles(id, interval, abort.signal).then(
      (history) => {
        if (generation !== this.generation) return;
        this.replaceAll(mergeCandles(this.candles, history));
      },
      (error: unknown) => {
        if (generation !== this.generation || abort.signal.aborted) return;
        console.warn(`candle history of ${id} ${interval} unavailable; the live stream's snapshot stands`, error);
      },
    );
    this.subscription = this.client.candles(id, interval).subscribe({
      next: (message) => {
        if (generation !== this.generation) return;
        if (message.type === 'snapshot') {
          this.replaceAll(mergeCandles(this.candles, message.data));
        } else {
          upsertCandle(this.candles, message.data, MAX_CANDLES);
          this.pending.push(message.data);
          this.frames.schedule(this.frame);
        }
      },
      error: (error: unknown) => {
        console.error(`candles of ${id} ${interval} failed`, error);
      },
    });
  }

  private replaceAll(candles: WireCandle[]): void {
    this.candles = candles.length > MAX_CANDLES ? candles.slice(-MAX_CANDLES) : candles;
    this.fullReset = true;
    this.pending = [];
    this.frames.schedule(this.frame);
  }

  /** Once per frame: the whole series after history or a snapshot, else the candles that changed. */
  private apply(): void {
    const candleSeries = this.candleSeries;
    const volumeSeries = this.volumeSeries;
    if (candleSeries === undefined || volumeSeries === undefined) return;
    const precision = pricePrecision(this.candles);
    if (precision !== this.precision) {
      this.precision = precision;
      candleSeries.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    }
    const lastTime = this.lastTime;
    if (!this.fullReset && this.pending.some((candle) => lastTime !== undefined && chartTime(candle) < lastTime)) {
      // An update of an older candle: the chart only appends or replaces the last bar.
      this.fullReset = true;
    }
    if (this.fullReset) {
      candleSeries.setData(this.candles.map(candleBar));
      volumeSeries.setData(this.candles.map(volumeBar));
      this.byTime.clear();
      for (const candle of this.candles) this.byTime.set(chartTime(candle), candle);
      const last = this.candles.at(-1);
      this.lastTime = last === undefined ? undefined : chartTime(last);
      if (this.candles.length > 0) {
        this.loading.set(false);
        // A short history fills the chart (up to a readable candle width) instead of hugging its right edge.
        if (this.candles.length < FIT_BELOW) this.chart?.timeScale().fitContent();
      }
    } else {
      for (const candle of this.pending) {
        candleSeries.update(candleBar(candle));
        volumeSeries.update(volumeBar(candle));
        this.byTime.set(chartTime(candle), candle);
        this.lastTime = Math.max(this.lastTime ?? 0, chartTime(candle)) as UTCTimestamp;
      }
      if (this.pending.length > 0) this.loading.set(false);
    }
    this.fullReset = false;
    this.pending = [];
    this.latest.set(this.candles.at(-1));
    this.count.set(this.candles.length);
  }

  private createChart(): void {
    const element = this.host().nativeElement;
    const chart = createChart(element, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: PALETTE.background },
        textColor: PALETTE.muted,
        fontFamily: '"DejaVu Sans Mono", ui-monospace, monospace',
        fontSize: 11,
        attributionLogo: false,
      },
      grid: { vertLines: { color: '#151b26' }, horzLines: { color: '#151b26' } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: PALETTE.grid },
      timeScale: {
        borderColor: PALETTE.grid,
        timeVisible: true,
        secondsVisible: true,
        rightOffset: 4,
        maxBarSpacing: 24,
      },
      localization: {
        timeFormatter: (time: number) => new Date(time * 1000).toISOString().slice(0, 19).replace('T', ' '),
      },
    });
    this.candleSeries = chart.addSeries(CandlestickSeries, {
      upColor: CANDLE_COLORS.up,
      downColor: CANDLE_COLORS.down,
      wickUpColor: CANDLE_COLORS.up,
      wickDownColor: CANDLE_COLORS.down,
      borderVisible: false,
    });
    this.candleSeries.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.28 } });
    this.volumeSeries = chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: 'volume',
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.volumeSeries.priceScale().applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    chart.subscribeCrosshairMove((param: MouseEventParams) => {
      const time = typeof param.time === 'number' ? param.time : undefined;
      this.hovered.set(time === undefined ? undefined : this.byTime.get(time));
    });
    this.chart = chart;
  }
}

function readInterval(): CandleInterval {
  try {
    const stored = globalThis.localStorage.getItem(INTERVAL_KEY);
    return CHART_INTERVALS.find((interval) => interval === stored) ?? '1m';
  } catch {
    return '1m';
  }
}
