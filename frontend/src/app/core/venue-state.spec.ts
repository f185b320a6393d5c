import type { FeedSource, WireInstrument, WireStatus } from '@tickwire/feeds';
import { summarizeVenues } from './venue-state';

function instrument(id: string, source: FeedSource = 'live'): WireInstrument {
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
    tickSize: '0.01' as WireInstrument['tickSize'],
    lotSize: '0.01' as WireInstrument['lotSize'],
    source,
    channels: ['trades', 'book', 'bbo', 'candles', 'status'],
  };
}

const status = (state: WireStatus['state'], source: FeedSource = 'live', reason: string = state): WireStatus => ({
  state,
  reason,
  source,
  time: 0,
});

describe('summarizeVenues', () => {
  const instruments = [
    instrument('kraken:BTC-USD'),
    instrument('kraken:ETH-USD'),
    instrument('coinbase:SKL-USD', 'replay'),
  ];

  it('names a live venue by its source, and the worst state of its instruments otherwise', () => {
    const statuses = new Map([
      ['kraken:BTC-USD', status('live')],
      ['kraken:ETH-USD', status('resyncing', 'live', 'sequence gap 10 -> 12')],
      ['coinbase:SKL-USD', status('live', 'replay')],
    ]);
    expect(summarizeVenues(instruments, statuses, 'open')).toEqual([
      { venue: 'kraken', state: 'resyncing', source: 'live', detail: 'sequence gap 10 -> 12', instruments: 2 },
      { venue: 'coinbase', state: 'replay', source: 'replay', detail: 'live', instruments: 1 },
    ]);
    statuses.set('kraken:ETH-USD', status('live'));
    expect(summarizeVenues(instruments, statuses, 'open').map((venue) => venue.state)).toEqual(['live', 'replay']);
    statuses.set('kraken:BTC-USD', status('stale'));
    expect(summarizeVenues(instruments, statuses, 'open')[0]?.state).toBe('stale');
  });

  it('says reconnecting for every venue while the gateway connection is lost', () => {
    const statuses = new Map([['kraken:BTC-USD', status('live')]]);
    expect(summarizeVenues(instruments, statuses, 'reconnecting').map((venue) => venue.state)).toEqual([
      'reconnecting',
      'reconnecting',
    ]);
    expect(summarizeVenues(instruments, new Map(), 'open').map((venue) => venue.state)).toEqual([
      'connecting',
      'connecting',
    ]);
  });

  it('labels simulated data', () => {
    const simulated = [instrument('simulated:BTC-USDT', 'simulated')];
    const statuses = new Map([['simulated:BTC-USDT', status('live', 'simulated')]]);
    expect(summarizeVenues(simulated, statuses, 'open')[0]?.state).toBe('simulated');
  });
});
