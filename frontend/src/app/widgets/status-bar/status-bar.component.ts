import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ConnectionService } from '../../data/connection.service';
import { FeedStatusService } from '../../data/feed-status.service';
import { FocusService } from '../../data/focus.service';
import { GatewayHealthService } from '../../data/gateway-health.service';
import { TelemetryService } from '../../data/telemetry.service';

/**
 * Bottom bar: the gateway connection (with "reconnecting" while the SDK retries), each venue's
 * state (live, replay, simulated, resyncing, stale…), message rates and the latency from the
 * venue to the gateway to this browser.
 */
@Component({
  selector: 'tw-status-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  templateUrl: './status-bar.component.html',
  styleUrl: './status-bar.component.css',
})
export class StatusBarComponent {
  protected readonly connection = inject(ConnectionService).state;
  protected readonly venues = inject(FeedStatusService).venues;
  protected readonly telemetry = inject(TelemetryService).telemetry;
  private readonly health = inject(GatewayHealthService).health;
  protected readonly gateway = computed(() => {
    const health = this.health();
    return health.state === 'online' ? health : undefined;
  });
  private readonly focus = inject(FocusService);

  protected readonly connectionLabel = computed(() => {
    const state = this.connection();
    switch (state.status) {
      case 'open':
        return 'connected';
      case 'connecting':
        return 'connecting…';
      case 'reconnecting':
        return state.retryInMs === undefined
          ? 'reconnecting…'
          : `reconnecting in ${(state.retryInMs / 1000).toFixed(1)} s (attempt ${state.failedAttempts + 1})`;
      case 'closed':
        return 'closed';
    }
  });

  /** Venue timestamps of a replay are the recording's: their "latency" would be its age. */
  protected readonly focusedSource = computed(() => this.focus.instrument()?.source ?? 'live');
}
