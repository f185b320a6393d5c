import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Bus } from './bus';
import { BUS } from './bus.tokens';

/**
 * Closes the bus connection after every other shutdown hook (it lives in the root module, whose
 * hooks Nest runs last), so feeds release their leases and streams unsubscribe first.
 */
@Injectable()
export class BusCloser implements OnApplicationShutdown {
  constructor(@Optional() @Inject(BUS) private readonly bus: Bus | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus?.close();
  }
}
