import { Module } from '@nestjs/common';
import { MarketModule } from '../market/market.module';
import { HealthController } from './health.controller';

@Module({ imports: [MarketModule], controllers: [HealthController] })
export class HealthModule {}
