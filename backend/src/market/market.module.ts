import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { MarketService } from './market.service';

@Module({ imports: [MetricsModule], providers: [MarketService], exports: [MarketService] })
export class MarketModule {}
