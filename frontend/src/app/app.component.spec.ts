import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AppComponent } from './app.component';

describe('AppComponent', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [AppComponent],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
  });

  async function render(): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(AppComponent);
    fixture.detectChanges();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows the gateway online with the venues it reports, dropping unknown ones', async () => {
    const fixture = TestBed.createComponent(AppComponent);
    fixture.detectChanges();
    http
      .expectOne('/api/health')
      .flush({ status: 'ok', apiVersion: 1, venues: ['binance', 'kraken', 'not-a-venue'], feeds: [] });
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="gateway-status"]')?.textContent).toContain('online');
    const venues = Array.from(page.querySelectorAll('[data-testid="venues"] li')).map((li) => li.textContent.trim());
    expect(venues).toEqual(['binance', 'kraken']);
    expect(page.querySelector('[data-testid="feed-summary"]')?.textContent).toContain('API v1');
  });

  it('says so when the gateway cannot be reached', async () => {
    const fixture = TestBed.createComponent(AppComponent);
    fixture.detectChanges();
    http.expectOne('/api/health').error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[data-testid="gateway-status"]')?.textContent).toContain('unreachable');
    expect(page.textContent).toContain('Cannot reach the gateway');
  });

  it('shows a checking state before the gateway answers', async () => {
    const page = await render();
    expect(page.querySelector('[data-testid="gateway-status"]')?.textContent).toContain('checking');
    http.expectOne('/api/health').flush({ status: 'ok', apiVersion: 1, venues: [], feeds: [] });
  });
});
