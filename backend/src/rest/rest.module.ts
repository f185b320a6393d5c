import { Module } from '@nestjs/common';
import { MarketModule } from '../market/market.module';
import { StreamModule } from '../stream/stream.module';
import { ApiDocsController } from './api-docs.controller';
import { InstrumentsController } from './instruments.controller';
import { RestDemand } from './rest-demand';
import { StatusController } from './status.controller';

@Module({
  imports: [MarketModule, StreamModule],
  providers: [RestDemand],
  controllers: [InstrumentsController, StatusController, ApiDocsController],
})
export class RestModule {}
