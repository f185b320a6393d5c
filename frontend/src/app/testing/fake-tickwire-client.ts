import type {
  CandleInterval,
  ChannelName,
  SnapshotMessage,
  UpdateMessage,
  WireCandle,
  WireInstrument,
} from '@tickwire/feeds';
import { BehaviorSubject, NEVER, type Observable, Subject } from 'rxjs';
import type { ChannelMessage, ClientStats, ConnectionState, TickwireClient } from '../data/sdk';

/**
 * A stand-in for the SDK client in component tests: each channel is a Subject the test pushes
 * gateway messages into; book channels never emit (canvas widgets are not rendered by these tests).
 */
export class FakeTickwireClient {
  readonly instrumentsChannel = new Subject<ChannelMessage<'instruments'>>();
  readonly candleChannels = new Map<string, Subject<ChannelMessage<'candles'>>>();
  readonly statusChannels = new Map<string, Subject<ChannelMessage<'status'>>>();
  readonly state = new BehaviorSubject<ConnectionState>(connectionState({ status: 'open' }));
  readonly connectionState$ = this.state.asObservable();
  messages = 0;

  get connectionState(): ConnectionState {
    return this.state.value;
  }

  instruments(): Observable<ChannelMessage<'instruments'>> {
    return this.instrumentsChannel;
  }

  candles(instrument: string, interval: CandleInterval): Observable<ChannelMessage<'candles'>> {
    return channel(this.candleChannels, `${instrument} ${interval}`);
  }

  status(instrument: string): Observable<ChannelMessage<'status'>> {
    return channel(this.statusChannels, instrument);
  }

  book(): Observable<never> {
    return NEVER;
  }

  bbo(): Observable<never> {
    return NEVER;
  }

  trades(): Observable<never> {
    return NEVER;
  }

  stats(): ClientStats {
    return {
      messages: this.messages,
      malformedMessages: 0,
      gaps: 0,
      resnapshots: 0,
      droppedUpdates: 0,
      conflatedSnapshots: 0,
      reconnects: 0,
    };
  }

  asClient(): TickwireClient {
    return this as unknown as TickwireClient;
  }
}

/**
 * A connection state with defaults for what a test does not care about (a cast, so it fits the
 * SDK's ConnectionState as it grows: e.g. the transport field of the SSE fallback).
 */
export function connectionState(state: Partial<ConnectionState> & Pick<ConnectionState, 'status'>): ConnectionState {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- keeps compiling while the SDK's state gains fields
  return {
    url: 'ws://test/api/v1/stream',
    transport: 'websocket',
    failedAttempts: 0,
    lastClose: null,
    ...state,
  } as ConnectionState;
}

function channel<T>(channels: Map<string, Subject<T>>, key: string): Subject<T> {
  let subject = channels.get(key);
  if (subject === undefined) {
    subject = new Subject<T>();
    channels.set(key, subject);
  }
  return subject;
}

export function snapshot<C extends ChannelName>(
  channelName: C,
  data: SnapshotMessage<C>['data'],
  instrument?: string,
): SnapshotMessage<C> {
  return { type: 'snapshot', channel: channelName, seq: 1, data, ...(instrument === undefined ? {} : { instrument }) };
}

export function update<C extends ChannelName>(
  channelName: C,
  data: UpdateMessage<C>['data'],
  seq: number,
  instrument?: string,
): UpdateMessage<C> {
  return { type: 'update', channel: channelName, seq, data, ...(instrument === undefined ? {} : { instrument }) };
}

export function testInstrument(id: string, source: WireInstrument['source'] = 'replay'): WireInstrument {
  const [venue = '', symbol = ''] = id.split(':');
  const [base = '', quote = ''] = symbol.split('-');
  return {
    instrument: id,
    venue,
    symbol,
    venueSymbol: symbol,
    base,
    quote,
    kind: 'spot',
    tickSize: '0.0001' as WireInstrument['tickSize'],
    lotSize: '0.01' as WireInstrument['lotSize'],
    source,
    channels: ['trades', 'book', 'bbo', 'candles', 'status'],
  };
}

export function hourCandle(openTime: number, open: string, close: string, volume: string): WireCandle {
  const d = (value: string): WireCandle['open'] => value as WireCandle['open'];
  return {
    interval: '1h',
    openTime,
    closeTime: openTime + 3_600_000_000,
    open: d(open),
    high: d(close > open ? close : open),
    low: d(close > open ? open : close),
    close: d(close),
    volume: d(volume),
    quoteVolume: d('0'),
    tradeCount: 1,
    vwap: d(close),
    closed: false,
    receiveTime: openTime,
  };
}
