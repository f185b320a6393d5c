import type { ChannelName, SubscribeParams, WireInstrument } from '@tickwire/feeds';
import type { Observable } from 'rxjs';
import type { ChannelStream } from '../stream/channel-stream';

/**
 * Where a gateway-role ChannelRegistry gets instruments and channel streams from: the ingests on
 * the bus instead of local feeds.
 */
export interface RemoteChannelSource {
  hasVenue(venue: string): boolean;
  instrument(key: string): WireInstrument | undefined;
  instruments(): WireInstrument[];
  readonly instrumentsChanged$: Observable<readonly WireInstrument[]>;
  create(
    key: string,
    channel: ChannelName,
    instrument: string,
    params: SubscribeParams | undefined,
    onSerialize: () => void,
  ): ChannelStream;
}
