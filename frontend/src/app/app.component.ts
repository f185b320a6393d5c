import { ChangeDetectionStrategy, Component, type OnInit, inject } from '@angular/core';
import { GatewayHealthService } from './gateway-health.service';

/** Shell of the trader's terminal; the widgets arrive with the terminal issue. */
@Component({
  selector: 'tw-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.component.html',
  styleUrl: './app.component.css',
})
export class AppComponent implements OnInit {
  private readonly gateway = inject(GatewayHealthService);
  protected readonly health = this.gateway.health;

  ngOnInit(): void {
    this.gateway.refresh();
  }
}
