import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import type { WireStatus } from '@tickwire/feeds';
import type { Subscription } from 'rxjs';
import { summarizeVenues } from '../core/venue-state';
import { ConnectionService } from './connection.service';
import { FrameScheduler } from './frame-scheduler';
import { InstrumentsService } from './instruments.service';
import { TICKWIRE_CLIENT } from './tickwire-client';

/** Status channels observed at most (with the watchlist's 80 candle streams, below the gateway's 200). */
const MAX_STATUS_STREAMS = 60;

/** Every instrument's `status` channel (live, resyncing, stale…, and its source), and per-venue summaries. */
@Injectable({ providedIn: 'root' })
export class FeedStatusService {
  private readonly client = inject(TICKWIRE_CLIENT);
  private readonly frames = inject(FrameScheduler);
  private readonly instrumentsService = inject(InstrumentsService);
  private readonly connection = inject(ConnectionService);
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly latest = new Map<string, WireStatus>();
  private readonly published = signal<ReadonlyMap<string, WireStatus>>(new Map());
  private readonly publish = (): void => {
    this.published.set(new Map(this.latest));
  };

  readonly statuses = this.published.asReadonly();
  readonly venues = computed(() =>
    summarizeVenues(this.instrumentsService.instruments(), this.published(), this.connection.state().status),
  );
  /** Sources other than live among the instruments shown: the banner names them. */
  readonly nonLiveSources = computed(() => {
    const sources = new Set<'replay' | 'simulated'>();
    for (const instrument of this.instrumentsService.instruments()) {
      const source = this.published().get(instrument.instrument)?.source ?? instrument.source;
      if (source !== 'live') sources.add(source);
    }
    return [...sources].sort();
  });

  constructor() {
    effect(() => {
      const wanted = new Set(
        this.instrumentsService
          .instruments()
          .slice(0, MAX_STATUS_STREAMS)
          .map((instrument) => instrument.instrument),
      );
      for (const [instrument, subscription] of this.subscriptions) {
        if (wanted.has(instrument)) continue;
        subscription.unsubscribe();
        this.subscriptions.delete(instrument);
        this.latest.delete(instrument);
      }
      for (const instrument of wanted) {
        if (this.subscriptions.has(instrument)) continue;
        this.subscriptions.set(
          instrument,
          this.client.status(instrument).subscribe({
            next: (message) => {
              this.latest.set(instrument, message.data);
              this.frames.schedule(this.publish);
            },
            error: (error: unknown) => {
              console.error(`status of ${instrument} failed`, error);
            },
          }),
        );
      }
    });
    inject(DestroyRef).onDestroy(() => {
      for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    });
  }
}
