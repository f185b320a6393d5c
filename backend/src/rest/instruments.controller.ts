import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  Optional,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  BOOK_DEPTH_DEFAULT,
  BOOK_DEPTH_MAX,
  CANDLE_INTERVALS,
  type SubscribeRequest,
  type WireBook,
  type WireCandle,
  type WireInstrument,
  type WireStatus,
  type WireTrade,
} from '@tickwire/feeds';
import { z } from 'zod';
import { REMOTE_CHANNELS } from '../bus/bus.tokens';
import type { RemoteChannels } from '../bus/remote-channels';
import type { InstrumentMarket } from '../market/instrument-market';
import { MarketService } from '../market/market.service';
import { wireCandle } from '../stream/channels/candles-channel';
import { RestDemand } from './rest-demand';
import { parseQuery } from './rest-query';

const bookQuery = z.strictObject({
  depth: z.coerce.number().int().min(1).max(BOOK_DEPTH_MAX).default(BOOK_DEPTH_DEFAULT),
});
const tradesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).default(100) });
const candlesQuery = z.strictObject({
  interval: z.enum(CANDLE_INTERVALS).default('1m'),
  /** Open time bounds, epoch µs: from inclusive, to exclusive. */
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(500),
});

/** REST reads of what the gateway holds for an instrument (docs/api.md, OpenAPI at /api/v1/openapi.json). */
@ApiTags('market data')
@Controller('v1/instruments')
export class InstrumentsController {
  constructor(
    private readonly market: MarketService,
    private readonly demand: RestDemand,
    @Optional() @Inject(REMOTE_CHANNELS) private readonly remote: RemoteChannels | null = null,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every instrument this gateway serves' })
  list(): WireInstrument[] {
    const local = this.market.instruments();
    // A gateway on the bus runs no feeds: its instruments are those the ingests announce.
    return local.length === 0 && this.remote !== null ? this.remote.instruments() : local;
  }

  @Get(':instrument')
  @ApiOperation({ summary: 'One instrument with its feed status' })
  @ApiParam({ name: 'instrument', example: 'simulated:BTC-USDT' })
  async one(@Param('instrument') instrument: string): Promise<WireInstrument & { status: WireStatus }> {
    const info = this.find(instrument);
    if (this.isRemote(instrument)) {
      return { ...info, status: (await this.remoteSnapshot({ channel: 'status', instrument })) as WireStatus };
    }
    return { ...info, status: this.marketOf(instrument).status };
  }

  @Get(':instrument/book')
  @ApiOperation({ summary: 'Current book, top depth levels per side (503 while an on-demand instrument warms up)' })
  @ApiParam({ name: 'instrument', example: 'simulated:BTC-USDT' })
  @ApiQuery({ name: 'depth', required: false, example: 20 })
  async book(
    @Param('instrument') instrument: string,
    @Query() query: unknown,
  ): Promise<WireBook & { status?: WireStatus }> {
    const info = this.find(instrument);
    if (!info.channels.includes('book')) throw new NotFoundException(`${instrument} has no order book`);
    const { depth } = parseQuery(bookQuery, query);
    if (this.isRemote(instrument)) {
      const [book, status] = await Promise.all([
        this.remoteSnapshot({ channel: 'book', instrument, depth, intervalMs: 0 }),
        this.remoteSnapshot({ channel: 'status', instrument }),
      ]);
      return { ...(book as WireBook), status: status as WireStatus };
    }
    this.demand.touch(instrument, 'book');
    const market = this.marketOf(instrument);
    const position = market.bookPosition;
    if (position === undefined)
      throw new ServiceUnavailableException(`${instrument}: no book yet (${market.status.state}); retry shortly`);
    const levels = market.book.toSnapshot(depth);
    return { ...levels, ...position, status: market.status };
  }

  @Get(':instrument/trades')
  @ApiOperation({ summary: 'Recent trades, oldest first' })
  @ApiParam({ name: 'instrument', example: 'simulated:BTC-USDT' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  async trades(@Param('instrument') instrument: string, @Query() query: unknown): Promise<WireTrade[]> {
    this.find(instrument);
    const { limit } = parseQuery(tradesQuery, query);
    if (this.isRemote(instrument)) {
      // The ingest's trades snapshot: its last 100 published trades.
      const trades = (await this.remoteSnapshot({ channel: 'trades', instrument })) as WireTrade[];
      return trades.slice(Math.max(0, trades.length - limit));
    }
    this.demand.touch(instrument, 'trades');
    return this.marketOf(instrument).trades.toArray(limit);
  }

  @Get(':instrument/candles')
  @ApiOperation({ summary: 'Candle history built by this gateway, oldest first, the open candle last' })
  @ApiParam({ name: 'instrument', example: 'simulated:BTC-USDT' })
  @ApiQuery({ name: 'interval', required: false, enum: CANDLE_INTERVALS })
  @ApiQuery({ name: 'from', required: false, description: 'open time ≥ from (epoch µs)' })
  @ApiQuery({ name: 'to', required: false, description: 'open time < to (epoch µs)' })
  @ApiQuery({ name: 'limit', required: false, example: 500 })
  async candles(@Param('instrument') instrument: string, @Query() query: unknown): Promise<WireCandle[]> {
    this.find(instrument);
    const { interval, from, to, limit } = parseQuery(candlesQuery, query);
    if (this.isRemote(instrument)) {
      // The ingest's candles snapshot (its recent candles), bounded like the local history.
      const candles = (await this.remoteSnapshot({ channel: 'candles', instrument, interval })) as WireCandle[];
      const selected = candles.filter(
        (candle) =>
          candle.openTime >= (from ?? Number.NEGATIVE_INFINITY) && candle.openTime < (to ?? Number.POSITIVE_INFINITY),
      );
      return selected.slice(Math.max(0, selected.length - limit));
    }
    const history = this.marketOf(instrument).candles.get(interval);
    if (history === undefined) throw new NotFoundException(`interval ${interval} is not built on this gateway`);
    this.demand.touch(instrument, 'trades');
    return history
      .candles({ ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), limit })
      .map(wireCandle);
  }

  /** A gateway on the bus: the instrument is served by an ingest, not by this process. */
  private isRemote(instrument: string): boolean {
    return this.remote !== null && this.market.market(instrument) === undefined;
  }

  private async remoteSnapshot(request: Omit<SubscribeRequest, 'op'>): Promise<unknown> {
    if (this.remote === null) throw new NotFoundException('not on a bus');
    try {
      return await this.remote.snapshotData({ op: 'subscribe', ...request });
    } catch (error) {
      throw new ServiceUnavailableException(
        `no ingest answered for ${request.instrument ?? ''} ${request.channel}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private find(instrument: string): WireInstrument {
    const info = this.list().find((candidate) => candidate.instrument === instrument);
    if (info === undefined) throw new NotFoundException(`no instrument ${JSON.stringify(instrument)}`);
    return info;
  }

  private marketOf(instrument: string): InstrumentMarket {
    const market = this.market.market(instrument);
    if (market === undefined) throw new NotFoundException(`no instrument ${JSON.stringify(instrument)}`);
    return market;
  }
}
