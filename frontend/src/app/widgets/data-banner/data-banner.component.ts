import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ConnectionService } from '../../data/connection.service';
import { FeedStatusService } from '../../data/feed-status.service';

/**
 * A banner no trader can miss: the data on screen is replayed from a recording or simulated, not
 * a live market; and, while the gateway is unreachable, that everything shown is frozen.
 */
@Component({
  selector: 'tw-data-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (disconnected()) {
      <div class="banner down" role="alert" data-testid="reconnect-banner">
        Connection to the gateway lost — reconnecting. Prices on screen are frozen.
      </div>
    }
    @for (source of sources(); track source) {
      <div class="banner" role="status" [attr.data-testid]="'banner-' + source">
        @if (source === 'replay') {
          REPLAY — recorded market data played back, not a live market.
        } @else {
          SIMULATED — generated market data, not a live market.
        }
      </div>
    }
  `,
  styles: `
    .banner {
      padding: 3px 12px;
      background: #3a2c00;
      border-bottom: 1px solid #6b5200;
      color: #ffd666;
      font-weight: 600;
      font-size: 12px;
      letter-spacing: 0.02em;
      text-align: center;
    }
    .banner.down {
      background: #3d1214;
      border-bottom-color: #7a2326;
      color: #ffb3b1;
    }
  `,
})
export class DataBannerComponent {
  protected readonly sources = inject(FeedStatusService).nonLiveSources;
  private readonly connection = inject(ConnectionService).state;
  protected readonly disconnected = computed(() => {
    const status = this.connection().status;
    return status === 'reconnecting' || status === 'closed';
  });
}
