import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { TICKWIRE_CLIENT } from '../../data/tickwire-client';
import { FakeTickwireClient, hourCandle, snapshot, testInstrument, update } from '../../testing/fake-tickwire-client';
import { FocusService } from '../../data/focus.service';
import { WatchlistComponent } from './watchlist.component';

const HOUR = 3_600_000_000;

/** Lets the frame scheduler's requestAnimationFrame callbacks and change detection run. */
async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 40));
  await fixture.whenStable();
}

describe('WatchlistComponent', () => {
  let client: FakeTickwireClient;
  let fixture: ComponentFixture<WatchlistComponent>;
  let page: HTMLElement;

  beforeEach(async () => {
    localStorage.clear();
    client = new FakeTickwireClient();
    TestBed.configureTestingModule({
      imports: [WatchlistComponent],
      providers: [provideZonelessChangeDetection(), { provide: TICKWIRE_CLIENT, useValue: client.asClient() }],
    });
    fixture = TestBed.createComponent(WatchlistComponent);
    page = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    client.instrumentsChannel.next(
      snapshot('instruments', [
        testInstrument('coinbase:SKL-USD'),
        testInstrument('coinbase:DASH-BTC'),
        testInstrument('kraken:BTC-USD'),
      ]),
    );
    await settle(fixture);
  });

  const rows = (): HTMLElement[] => Array.from(page.querySelectorAll<HTMLElement>('[role="option"]'));
  const ids = (): (string | undefined)[] => rows().map((row) => row.dataset['instrument']);
  const cell = (instrument: string, testId: string): string =>
    page.querySelector(`[data-instrument="${instrument}"] [data-testid="${testId}"]`)?.textContent.trim() ?? '';

  it('lists every instrument by venue then symbol, the first one focused', () => {
    expect(ids()).toEqual(['coinbase:DASH-BTC', 'coinbase:SKL-USD', 'kraken:BTC-USD']);
    expect(rows()[0]?.getAttribute('aria-selected')).toBe('true');
  });

  it('shows last price, change and volume from the hourly candles, and flashes on a move', async () => {
    const candles = client.candleChannels.get('coinbase:SKL-USD 1h')!;
    candles.next(
      snapshot('candles', [hourCandle(0, '0.791', '0.7916', '27880'), hourCandle(HOUR, '0.7916', '0.7902', '6635.3')]),
    );
    await settle(fixture);
    expect(cell('coinbase:SKL-USD', 'watch-last')).toBe('0.7902');
    expect(cell('coinbase:SKL-USD', 'watch-change')).toBe('-0.10%');
    expect(cell('coinbase:SKL-USD', 'watch-volume')).toBe('vol 34.5K');
    const last = page.querySelector('[data-instrument="coinbase:SKL-USD"] [data-testid="watch-last"]')!;
    expect(last.className).not.toMatch(/flash/);

    candles.next(update('candles', hourCandle(HOUR, '0.7916', '0.795', '6700'), 2));
    await settle(fixture);
    expect(cell('coinbase:SKL-USD', 'watch-last')).toBe('0.795');
    expect(last.className).toMatch(/flash-up/);
    candles.next(update('candles', hourCandle(HOUR, '0.7916', '0.79', '6800'), 3));
    await settle(fixture);
    expect(last.className).toMatch(/flash-down/);
    expect(cell('coinbase:SKL-USD', 'watch-change')).toBe('-0.13%');
  });

  it('focuses by click and moves with the arrow keys', async () => {
    const focus = TestBed.inject(FocusService);
    rows()[2]?.click();
    await settle(fixture);
    expect(focus.instrument()?.instrument).toBe('kraken:BTC-USD');
    const list = page.querySelector<HTMLElement>('[data-testid="watchlist"]')!;
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await settle(fixture);
    // Wraps around to the first row.
    expect(focus.instrument()?.instrument).toBe('coinbase:DASH-BTC');
    list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    await settle(fixture);
    expect(focus.instrument()?.instrument).toBe('kraken:BTC-USD');
    expect(localStorage.getItem('tickwire.focus')).toBe('kraken:BTC-USD');
  });

  it('filters by the search box, "/" focuses it and Enter picks the first match', async () => {
    document.body.appendChild(page);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true }));
    const search = page.querySelector<HTMLInputElement>('[data-testid="symbol-search"]')!;
    expect(document.activeElement).toBe(search);
    search.value = 'skl';
    search.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(ids()).toEqual(['coinbase:SKL-USD']);
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await settle(fixture);
    expect(TestBed.inject(FocusService).instrument()?.instrument).toBe('coinbase:SKL-USD');
    search.value = 'nothing-like-it';
    search.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(ids()).toEqual([]);
    expect(page.textContent).toContain('no instrument matches');
    page.remove();
  });
});
