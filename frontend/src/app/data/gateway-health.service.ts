import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { FeedSource, FeedState } from '@tickwire/feeds';

/** One feed as `/api/health` reports it. */
export interface HealthFeed {
  readonly id: string;
  readonly source: FeedSource;
  readonly state: FeedState;
  readonly reason: string;
}

export type GatewayHealth =
  | { readonly state: 'checking' }
  | {
      readonly state: 'online';
      readonly status: 'ok' | 'degraded' | 'down';
      readonly apiVersion: number;
      readonly uptimeSeconds: number;
      readonly feeds: readonly HealthFeed[];
    }
  | { readonly state: 'unreachable'; readonly reason: string };

const POLL_MS = 5000;

/** Polls the gateway's public health endpoint (feeds, their source and state) every few seconds. */
@Injectable({ providedIn: 'root' })
export class GatewayHealthService {
  private readonly current = signal<GatewayHealth>({ state: 'checking' });
  readonly health = this.current.asReadonly();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.stopped = true;
      clearTimeout(this.timer);
    });
  }

  start(): void {
    if (this.timer === undefined) void this.poll();
  }

  async refresh(): Promise<void> {
    try {
      // 503 ("down": no feed live) still carries the report.
      const response = await fetch('/api/health', { cache: 'no-store' });
      this.current.set(toHealth(await response.json()));
    } catch (error) {
      this.current.set({ state: 'unreachable', reason: error instanceof Error ? error.message : 'request failed' });
    }
  }

  private async poll(): Promise<void> {
    await this.refresh();
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), POLL_MS);
  }
}

export function toHealth(body: unknown): GatewayHealth {
  if (typeof body !== 'object' || body === null) return { state: 'unreachable', reason: 'unexpected health response' };
  const report = body as Record<string, unknown>;
  const status = report['status'];
  if ((status !== 'ok' && status !== 'degraded' && status !== 'down') || typeof report['apiVersion'] !== 'number') {
    return { state: 'unreachable', reason: 'unexpected health response' };
  }
  const feeds = Array.isArray(report['feeds']) ? (report['feeds'] as unknown[]).filter(isHealthFeed) : [];
  const uptime = report['uptimeSeconds'];
  return {
    state: 'online',
    status,
    apiVersion: report['apiVersion'],
    uptimeSeconds: typeof uptime === 'number' ? uptime : 0,
    feeds,
  };
}

function isHealthFeed(value: unknown): value is HealthFeed {
  if (typeof value !== 'object' || value === null) return false;
  const feed = value as Record<string, unknown>;
  return typeof feed['id'] === 'string' && typeof feed['source'] === 'string' && typeof feed['state'] === 'string';
}
