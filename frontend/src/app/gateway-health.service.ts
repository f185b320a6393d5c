import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { isVenueId, type VenueId } from '@tickwire/feeds';

export type GatewayHealth =
  | { readonly state: 'checking' }
  | {
      readonly state: 'online';
      readonly apiVersion: number;
      readonly venues: readonly VenueId[];
      readonly feeds: number;
    }
  | { readonly state: 'unreachable'; readonly reason: string };

interface HealthResponse {
  status?: unknown;
  apiVersion?: unknown;
  venues?: unknown;
  feeds?: unknown;
}

/** Asks the gateway's public health endpoint whether it is up and what it can serve. */
@Injectable({ providedIn: 'root' })
export class GatewayHealthService {
  private readonly http = inject(HttpClient);
  private readonly current = signal<GatewayHealth>({ state: 'checking' });
  readonly health = this.current.asReadonly();

  refresh(): void {
    this.http.get<HealthResponse>('/api/health').subscribe({
      next: (body) => {
        this.current.set(toHealth(body));
      },
      error: (error: unknown) => {
        this.current.set({ state: 'unreachable', reason: error instanceof Error ? error.message : 'request failed' });
      },
    });
  }
}

function toHealth(body: HealthResponse): GatewayHealth {
  if (body.status !== 'ok' || typeof body.apiVersion !== 'number' || !Array.isArray(body.venues)) {
    return { state: 'unreachable', reason: 'unexpected health response' };
  }
  const venues = body.venues.filter(isVenueId);
  const feeds = Array.isArray(body.feeds) ? body.feeds.length : 0;
  return { state: 'online', apiVersion: body.apiVersion, venues, feeds };
}
