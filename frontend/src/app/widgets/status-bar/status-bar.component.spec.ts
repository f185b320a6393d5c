import { Component, provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { WireStatus } from '@tickwire/feeds';
import { TICKWIRE_CLIENT } from '../../data/tickwire-client';
import {
  FakeTickwireClient,
  connectionState,
  snapshot,
  testInstrument,
  update,
} from '../../testing/fake-tickwire-client';
import { DataBannerComponent } from '../data-banner/data-banner.component';
import { StatusBarComponent } from './status-bar.component';

@Component({
  selector: 'tw-test-host',
  imports: [DataBannerComponent, StatusBarComponent],
  template: '<tw-data-banner /><tw-status-bar />',
})
class HostComponent {}

const status = (state: WireStatus['state'], source: WireStatus['source'], reason = state as string): WireStatus => ({
  state,
  source,
  reason,
  time: 0,
});

async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 40));
  await fixture.whenStable();
}

describe('status bar and data banner', () => {
  let client: FakeTickwireClient;
  let fixture: ComponentFixture<HostComponent>;
  let page: HTMLElement;
  const byTestId = (id: string): HTMLElement[] =>
    Array.from(page.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));

  beforeEach(async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new Error('no gateway in unit tests'))),
    );
    client = new FakeTickwireClient();
    TestBed.configureTestingModule({
      imports: [HostComponent],
      providers: [provideZonelessChangeDetection(), { provide: TICKWIRE_CLIENT, useValue: client.asClient() }],
    });
    fixture = TestBed.createComponent(HostComponent);
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    client.instrumentsChannel.next(
      snapshot('instruments', [
        testInstrument('coinbase:SKL-USD', 'replay'),
        testInstrument('coinbase:DASH-BTC', 'replay'),
        testInstrument('kraken:BTC-USD', 'live'),
      ]),
    );
    await settle(fixture);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows each venue’s state from its instruments’ status channels', async () => {
    client.statusChannels.get('coinbase:SKL-USD')!.next(snapshot('status', status('live', 'replay')));
    client.statusChannels.get('coinbase:DASH-BTC')!.next(snapshot('status', status('live', 'replay')));
    client.statusChannels.get('kraken:BTC-USD')!.next(snapshot('status', status('live', 'live')));
    await settle(fixture);
    const states = (): (string | undefined)[] =>
      byTestId('venue-status').map((chip) => `${chip.dataset['venue']} ${chip.dataset['state']}`);
    expect(states()).toEqual(['coinbase replay', 'kraken live']);
    expect(byTestId('banner-replay')).toHaveLength(1);
    expect(byTestId('banner-simulated')).toHaveLength(0);

    client.statusChannels
      .get('kraken:BTC-USD')!
      .next(update('status', status('resyncing', 'live', 'checksum mismatch'), 2));
    await settle(fixture);
    expect(states()).toEqual(['coinbase replay', 'kraken resyncing']);
    expect(byTestId('venue-status')[1]?.title).toBe('checksum mismatch');
  });

  it('says reconnecting (bar, banner, every venue) while the SDK retries, and clears it once connected', async () => {
    client.statusChannels.get('kraken:BTC-USD')!.next(snapshot('status', status('live', 'live')));
    client.state.next(
      connectionState({
        status: 'reconnecting',
        retryInMs: 1500,
        failedAttempts: 2,
        lastClose: { code: 1006, reason: '', url: 'ws://test/api/v1/stream' },
      }),
    );
    await settle(fixture);
    expect(byTestId('connection-status')[0]?.textContent).toContain('reconnecting in 1.5 s (attempt 3)');
    expect(byTestId('reconnect-banner')).toHaveLength(1);
    expect(byTestId('venue-status').map((chip) => chip.dataset['state'])).toEqual(['reconnecting', 'reconnecting']);

    client.state.next(connectionState({ status: 'open' }));
    await settle(fixture);
    expect(byTestId('connection-status')[0]?.textContent).toContain('connected');
    expect(byTestId('reconnect-banner')).toHaveLength(0);
    expect(byTestId('venue-status')[1]?.dataset['state']).toBe('live');
  });

  it('shows which transport carries the stream: WebSocket, or the SSE fallback', async () => {
    client.state.next(connectionState({ status: 'open', transport: 'websocket' }));
    await settle(fixture);
    expect(byTestId('transport')[0]?.dataset['transport']).toBe('websocket');
    expect(byTestId('transport')[0]?.textContent.trim()).toBe('WebSocket');
    client.state.next(connectionState({ status: 'open', transport: 'sse' }));
    await settle(fixture);
    expect(byTestId('transport')[0]?.dataset['transport']).toBe('sse');
    expect(byTestId('transport')[0]?.textContent.trim()).toBe('SSE fallback');
  });
});
