import type { ErrorCode } from '../api/protocol';

/** An `error` message from the gateway, delivered to the observable of the request it answers. */
export class TickwireApiError extends Error {
  override readonly name = 'TickwireApiError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Id of the request it answers, when the gateway gave one. */
    readonly requestId: number | undefined,
    /** Channel key of the subscription it ended, when it answers a subscribe. */
    readonly channelKey: string | undefined,
  ) {
    super(`${code}: ${message}`);
  }
}

/** What observables subscribed and pings sent after `client.close()` fail with. */
export class TickwireClientClosedError extends Error {
  override readonly name = 'TickwireClientClosedError';

  constructor() {
    super('the Tickwire client is closed');
  }
}
