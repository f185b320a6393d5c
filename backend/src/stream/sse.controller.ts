import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
  BadRequestException,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CLOSE_CODES, type SubscribeRequest } from '@tickwire/feeds';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { AddressLimiter } from './address-limiter';
import { ClientRequests } from './client-requests';
import { parseClientMessage } from './client-message.schema';
import { ClientSession } from './client-session';
import { SseSessions } from './sse-sessions';
import { decodeResumeToken, SseTransport } from './transports/sse-transport';

/**
 * The same channels over Server-Sent Events, for clients behind proxies that strip WebSocket
 * upgrades: `GET /api/v1/sse?subscribe=[...]` opens a `text/event-stream` whose events carry the very
 * bytes a WebSocket client gets (ack, snapshot, sequenced updates, heartbeats, errors); the
 * browser's reconnect sends Last-Event-ID and each stream resumes where it was (the missed updates,
 * or a fresh snapshot when they are no longer retained). Requests after opening go to
 * `POST /api/v1/sse/{session id}`. Same limits, auth, Origin check and slow-consumer policy.
 */
@ApiTags('stream')
@Controller('v1/sse')
export class SseController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly requests: ClientRequests,
    private readonly sessions: SseSessions,
    private readonly addresses: AddressLimiter,
    private readonly auth: AuthService,
    private readonly metrics: GatewayMetrics,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Open a Server-Sent Events stream with the given subscriptions' })
  @ApiQuery({
    name: 'subscribe',
    description:
      'JSON array of subscribe requests without "op", e.g. [{"channel":"book","instrument":"simulated:BTC-USDT"}]',
  })
  @ApiQuery({ name: 'token', required: false, description: 'API key or ticket (when auth is required)' })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    description: 'resume token, for clients that cannot send Last-Event-ID',
  })
  open(
    @Req() request: Request,
    @Res() response: Response,
    @Query('subscribe') subscribe: unknown,
    @Query('token') token: unknown,
    @Query('lastEventId') lastEventId: unknown,
  ): void {
    const origin = request.headers.origin;
    if (!this.auth.originAllowed(origin === '' ? undefined : origin)) {
      this.metrics.rejections.inc({ reason: 'origin' });
      throw new ForbiddenException('this Origin may not open the stream');
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const credential = typeof token === 'string' ? token : bearer;
    if (credential !== undefined && !this.auth.accept(credential)) {
      this.metrics.rejections.inc({ reason: 'bad_token' });
      throw new UnauthorizedException('the token is not a valid API key or ticket');
    }
    if (this.auth.required && credential === undefined) {
      this.metrics.rejections.inc({ reason: 'not_authenticated' });
      throw new UnauthorizedException('a token is required');
    }
    const wanted = this.parseSubscriptions(subscribe);
    const address = this.addresses.addressOf(request);
    if (!this.addresses.acquire(address)) {
      this.addresses.release(address);
      this.metrics.rejections.inc({ reason: 'connections_per_address' });
      throw new HttpException('too many connections from this address', HttpStatus.TOO_MANY_REQUESTS);
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Proxies that buffer responses (nginx) would hold events back.
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 1000\n\n');
    request.socket.setNoDelay(true);
    const transport = new SseTransport(response);
    const session = new ClientSession({
      transport,
      address,
      limits: this.config.limits,
      metrics: this.metrics,
      authenticated: true,
      now: Date.now,
    });
    const id = this.sessions.add(session);
    session.send({ type: 'session', id, transport: 'sse' });
    const header = request.headers['last-event-id'];
    const positions = decodeResumeToken(
      typeof lastEventId === 'string' ? lastEventId : Array.isArray(header) ? header[0] : header,
    );
    for (const item of wanted) this.requests.subscribe(session, item, (key) => positions.get(key));
  }

  @Post(':id')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one client message (subscribe, unsubscribe, ping) to an open SSE session' })
  post(@Param('id') id: string, @Body() body: unknown): { accepted: true } {
    const session = this.sessions.get(id);
    if (session === undefined) throw new NotFoundException('no such stream session');
    if (!session.takeMessageToken()) {
      this.metrics.rejections.inc({ reason: 'rate' });
      session.close(CLOSE_CODES.rateLimited, 'message rate exceeded');
      throw new HttpException('message rate exceeded', HttpStatus.TOO_MANY_REQUESTS);
    }
    this.requests.handleText(session, JSON.stringify(body));
    return { accepted: true };
  }

  /** The `subscribe` query: a JSON array of subscribe requests, each validated like a WebSocket message. */
  private parseSubscriptions(raw: unknown): SubscribeRequest[] {
    if (typeof raw !== 'string') throw new BadRequestException('subscribe: a JSON array of subscriptions is required');
    let items: unknown;
    try {
      items = JSON.parse(raw);
    } catch {
      throw new BadRequestException('subscribe: not valid JSON');
    }
    if (!Array.isArray(items)) throw new BadRequestException('subscribe: not a JSON array');
    if (items.length > this.config.limits.maxSubscriptionsPerConnection) {
      this.metrics.rejections.inc({ reason: 'too_many_subscriptions' });
      throw new BadRequestException(
        `subscribe: at most ${this.config.limits.maxSubscriptionsPerConnection} subscriptions`,
      );
    }
    return items.map((item, index) => {
      const parsed = parseClientMessage(JSON.stringify({ ...(item as object), op: 'subscribe' }));
      if (!parsed.ok || parsed.message.op !== 'subscribe') {
        const reason = parsed.ok ? 'not a subscription' : `${parsed.error.code}: ${parsed.error.message}`;
        throw new BadRequestException(`subscribe[${index}]: ${reason}`);
      }
      return parsed.message;
    });
  }
}
