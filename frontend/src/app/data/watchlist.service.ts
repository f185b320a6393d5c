import { DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import {
  type CandleInterval,
  type DecimalString,
  type WireCandle,
  type WireInstrument,
  compareDecimals,
} from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import { type SessionChange, sessionChange } from '../core/candle-change';
import { upsertCandle } from '../core/candle-merge';
import { FrameScheduler } from './frame-scheduler';
import { InstrumentsService } from './instruments.service';
import { TICKWIRE_CLIENT } from './tickwire-client';

/** Hourly candles: 24 of them are the 24 h window, and they update with every trade (≤ 4/s). */
const WATCH_INTERVAL: CandleInterval = '1h';
const CANDLES_KEPT = 30;
/**
 * Candle streams the watchlist observes at most: with the status channels (60) and the focused
 * instrument's few, the connection stays well below the gateway's 200 streams.
 */
export const MAX_WATCHED = 80;

export interface WatchRow {
  readonly instrument: WireInstrument;
  readonly change: SessionChange | undefined;
  /** Direction of the last price move, and a counter that changes with each move (restarts the flash). */
  readonly tick: 'up' | 'down' | undefined;
  readonly tickCount: number;
}

/**
 * The watchlist's numbers for every instrument: last price, 24 h (or session) change and volume
 * from each one's hourly candles. Messages update plain state; rows are published once per frame.
 */
@Injectable({ providedIn: 'root' })
export class WatchlistService {
  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly frames = inject(FrameScheduler);
  private readonly instrumentsService = inject(InstrumentsService);
  private readonly candles = new Map<string, WireCandle[]>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly ticks = new Map<
    string,
    { tick: 'up' | 'down' | undefined; count: number; last: DecimalString | undefined }
  >();
  private readonly current = signal<readonly WatchRow[]>([]);
  readonly rows = this.current.asReadonly();
  private readonly publish = (): void => {
    this.current.set(this.instrumentsService.instruments().map((instrument) => this.row(instrument)));
  };

  constructor() {
    effect(() => {
      const instruments = this.instrumentsService.instruments();
      const wanted = new Set(instruments.slice(0, MAX_WATCHED).map((instrument) => instrument.instrument));
      for (const [instrument, subscription] of this.subscriptions) {
        if (wanted.has(instrument)) continue;
        subscription.unsubscribe();
        this.subscriptions.delete(instrument);
        this.candles.delete(instrument);
      }
      for (const instrument of wanted) if (!this.subscriptions.has(instrument)) this.watch(instrument);
      this.frames.schedule(this.publish);
    });
    inject(DestroyRef).onDestroy(() => {
      for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    });
  }

  private watch(instrument: string): void {
    this.subscriptions.set(
      instrument,
      this.client.candles(instrument, WATCH_INTERVAL).subscribe({
        next: (message) => {
          if (message.type === 'snapshot') {
            this.candles.set(instrument, message.data.slice(-CANDLES_KEPT));
          } else {
            const candles = this.candles.get(instrument) ?? [];
            upsertCandle(candles, message.data, CANDLES_KEPT);
            this.candles.set(instrument, candles);
          }
          this.frames.schedule(this.publish);
        },
        error: (error: unknown) => {
          console.error(`watchlist candles of ${instrument} failed`, error);
        },
      }),
    );
  }

  private row(instrument: WireInstrument): WatchRow {
    const change = sessionChange(this.candles.get(instrument.instrument) ?? []);
    const previous = this.ticks.get(instrument.instrument) ?? { tick: undefined, count: 0, last: undefined };
    let next = previous;
    if (change !== undefined && previous.last !== undefined && change.last !== previous.last) {
      next = {
        tick: compareDecimals(change.last, previous.last) > 0 ? 'up' : 'down',
        count: previous.count + 1,
        last: change.last,
      };
    } else if (change !== undefined && previous.last === undefined) {
      next = { ...previous, last: change.last };
    }
    this.ticks.set(instrument.instrument, next);
    return { instrument, change, tick: next.tick, tickCount: next.count };
  }
}
