import type { ByteReaderLike, FetchLike, FetchResponseLike } from '../sse-socket';
import { Waiters } from './wait-until';

export interface FetchCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/**
 * Node's fetch, counting what is still in flight: requests not answered yet, and response bodies
 * neither read to the end, nor failed, nor cancelled. Both at 0 = nothing of the client's is left
 * on the network.
 */
export class TrackingFetch {
  readonly calls: FetchCall[] = [];
  requestsInFlight = 0;
  openBodies = 0;
  private readonly waiters = new Waiters();

  readonly fetch: FetchLike = async (input, init) => {
    this.calls.push({
      method: init?.method ?? 'GET',
      url: input,
      headers: { ...init?.headers },
      body: init?.body,
    });
    this.requestsInFlight++;
    this.waiters.notify();
    let response: Response;
    try {
      response = await globalThis.fetch(input, init);
    } finally {
      this.requestsInFlight--;
      this.waiters.notify();
    }
    return this.track(response);
  };

  get pending(): number {
    return this.requestsInFlight + this.openBodies;
  }

  /** Calls with this method, in order. */
  of(method: string): FetchCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `count` calls with this method were made. */
  until(method: string, count: number): Promise<FetchCall[]> {
    return this.waiters.until(`${count} ${method} fetches`, () =>
      this.of(method).length >= count ? this.of(method) : undefined,
    );
  }

  private track(response: Response): FetchResponseLike {
    const body = response.body;
    let open = body !== null;
    if (open) this.openBodies++;
    const settle = (): void => {
      if (!open) return;
      open = false;
      this.openBodies--;
      this.waiters.notify();
    };
    const wrapped: FetchResponseLike = {
      ok: response.ok,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body:
        body === null
          ? null
          : {
              getReader: (): ByteReaderLike => {
                const reader = body.getReader();
                return {
                  read: async () => {
                    try {
                      const result = await reader.read();
                      if (result.done) settle();
                      return result;
                    } catch (error) {
                      settle();
                      throw error;
                    }
                  },
                  cancel: async (reason?: unknown) => {
                    settle();
                    await reader.cancel(reason);
                  },
                };
              },
            },
      text: async () => {
        try {
          return await response.text();
        } finally {
          settle();
        }
      },
    };
    return wrapped;
  }
}
