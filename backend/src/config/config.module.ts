import { type DynamicModule, Global, Module } from '@nestjs/common';
import { GATEWAY_CONFIG } from './config.tokens';
import type { GatewayConfig } from './gateway-config.schema';

/** Provides the validated configuration to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}
