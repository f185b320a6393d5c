import { Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';

@Module({ providers: [GatewayMetrics], controllers: [MetricsController], exports: [GatewayMetrics] })
export class MetricsModule {}
