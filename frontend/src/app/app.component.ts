import { ChangeDetectionStrategy, Component, type OnInit, computed, inject } from '@angular/core';
import { compactDecimal, formatPercent } from './core/decimal-format';
import { FocusService } from './data/focus.service';
import { GatewayHealthService } from './data/gateway-health.service';
import { InstrumentsService } from './data/instruments.service';
import { WatchlistService } from './data/watchlist.service';
import { LayoutService } from './layout/layout.service';
import { SplitterComponent } from './layout/splitter.component';
import { CandleChartComponent } from './widgets/candle-chart/candle-chart.component';
import { DataBannerComponent } from './widgets/data-banner/data-banner.component';
import { DepthChartComponent } from './widgets/depth-chart/depth-chart.component';
import { OrderBookComponent } from './widgets/order-book/order-book.component';
import { StatusBarComponent } from './widgets/status-bar/status-bar.component';
import { TradesTapeComponent } from './widgets/trades-tape/trades-tape.component';
import { WatchlistComponent } from './widgets/watchlist/watchlist.component';

/**
 * The trader's terminal: watchlist | chart over depth | order book ladder | trades tape, resizable,
 * with a banner for replayed or simulated data and a status bar. Every widget follows the focused
 * instrument.
 */
@Component({
  selector: 'tw-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CandleChartComponent,
    DataBannerComponent,
    DepthChartComponent,
    OrderBookComponent,
    SplitterComponent,
    StatusBarComponent,
    TradesTapeComponent,
    WatchlistComponent,
  ],
  templateUrl: './app.component.html',
  styleUrl: './app.component.css',
})
export class AppComponent implements OnInit {
  private readonly health = inject(GatewayHealthService);
  private readonly watchlist = inject(WatchlistService);
  protected readonly instruments = inject(InstrumentsService);
  protected readonly focused = inject(FocusService).instrument;
  protected readonly sizes = inject(LayoutService).sizes;
  protected readonly focusedRow = computed(() => {
    const focused = this.focused();
    return this.watchlist.rows().find((row) => row.instrument.instrument === focused?.instrument);
  });
  protected readonly percent = formatPercent;
  protected readonly compact = compactDecimal;

  ngOnInit(): void {
    this.health.start();
  }
}
