import { Inject, Injectable } from '@nestjs/common';
import type { ClientMessage, SubscribeRequest, UnsubscribeRequest } from '@tickwire/feeds';
import { AuthService } from '../auth/auth.service';
import { GATEWAY_CONFIG } from '../config/config.tokens';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { ChannelRegistry } from './channel-registry';
import type { ChannelStream } from './channel-stream';
import { parseClientMessage } from './client-message.schema';
import type { ClientSession } from './client-session';

/** Where a resuming client was in a stream (SSE Last-Event-ID). */
export interface ResumePosition {
  readonly epoch: string;
  readonly seq: number;
}

/**
 * What the gateway does with a client's requests, whatever the transport: validation, auth,
 * subscribe (ack, then a snapshot, or the missed updates of a resumed stream) and unsubscribe
 * within the limits, every rejection answered with its code and counted.
 */
@Injectable()
export class ClientRequests {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ChannelRegistry,
    private readonly auth: AuthService,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** One client text message. */
  handleText(session: ClientSession, text: string): void {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.metrics.rejections.inc({ reason: parsed.error.code });
      session.error(parsed.error);
      return;
    }
    this.handle(session, parsed.message);
  }

  handle(session: ClientSession, message: ClientMessage): void {
    const id = message.id === undefined ? {} : { id: message.id };
    switch (message.op) {
      case 'ping':
        session.send({ type: 'pong', ...id, time: Date.now() * 1000 });
        return;
      case 'auth':
        if (this.auth.accept(message.token)) {
          session.authenticated = true;
          session.send({ type: 'ack', ...id, op: 'auth' });
        } else {
          this.metrics.rejections.inc({ reason: 'bad_token' });
          session.error({ ...id, code: 'bad_token', message: 'the token is not a valid API key or ticket' });
        }
        return;
      case 'subscribe':
      case 'unsubscribe':
        if (!session.authenticated) {
          this.metrics.rejections.inc({ reason: 'not_authenticated' });
          session.error({ ...id, code: 'not_authenticated', message: 'authenticate first: {"op":"auth","token":...}' });
          return;
        }
        if (message.op === 'subscribe') this.subscribe(session, message);
        else this.unsubscribe(session, message);
    }
  }

  /**
   * Subscribes (or re-subscribes: a fresh snapshot). With `resume` from the same incarnation of the
   * stream and every missed update still retained, the client gets those updates instead of a snapshot.
   * Returns the stream, or undefined when refused.
   */
  subscribe(
    session: ClientSession,
    request: SubscribeRequest,
    resumeFrom?: (streamKey: string) => ResumePosition | undefined,
  ): ChannelStream | undefined {
    const id = request.id === undefined ? {} : { id: request.id };
    const resolved = this.registry.resolve(request);
    if ('code' in resolved) {
      this.metrics.rejections.inc({ reason: resolved.code });
      session.error({ ...id, ...resolved });
      return undefined;
    }
    const existing = session.subscriptions.get(resolved.key);
    if (existing === undefined && session.subscriptions.size >= this.config.limits.maxSubscriptionsPerConnection) {
      this.metrics.rejections.inc({ reason: 'too_many_subscriptions' });
      session.error({
        ...id,
        code: 'too_many_subscriptions',
        message: `at most ${this.config.limits.maxSubscriptionsPerConnection} subscriptions per connection`,
      });
      return undefined;
    }
    const stream = existing ?? this.registry.subscribe(resolved, session);
    session.subscriptions.set(resolved.key, stream);
    session.send({
      type: 'ack',
      ...id,
      op: 'subscribe',
      channel: request.channel,
      ...(resolved.instrument === undefined ? {} : { instrument: resolved.instrument }),
      ...(resolved.params === undefined ? {} : { params: resolved.params }),
    });
    const resume = resumeFrom?.(stream.key);
    const missed = resume !== undefined && resume.epoch === stream.epoch ? stream.updatesSince(resume.seq) : undefined;
    if (missed !== undefined) session.sendUpdates(stream, missed);
    // Subscribing again to the same stream is how a client asks for a fresh snapshot (after a gap).
    else session.sendSnapshot(stream);
    return stream;
  }

  unsubscribe(session: ClientSession, request: UnsubscribeRequest): void {
    const id = request.id === undefined ? {} : { id: request.id };
    const resolved = this.registry.resolve(request);
    if ('code' in resolved) {
      this.metrics.rejections.inc({ reason: resolved.code });
      session.error({ ...id, ...resolved });
      return;
    }
    const stream = session.subscriptions.get(resolved.key);
    if (stream === undefined) {
      this.metrics.rejections.inc({ reason: 'not_subscribed' });
      session.error({ ...id, code: 'not_subscribed', message: `not subscribed to ${resolved.key}` });
      return;
    }
    session.subscriptions.delete(resolved.key);
    session.forget(stream);
    this.registry.unsubscribe(stream, session);
    session.send({
      type: 'ack',
      ...id,
      op: 'unsubscribe',
      channel: request.channel,
      ...(resolved.instrument === undefined ? {} : { instrument: resolved.instrument }),
      ...(resolved.params === undefined ? {} : { params: resolved.params }),
    });
  }

  /** The client is gone: its streams lose a subscriber (the last one disposes a stream). */
  release(session: ClientSession): void {
    session.dispose();
    for (const stream of session.subscriptions.values()) this.registry.unsubscribe(stream, session);
    session.subscriptions.clear();
  }
}
