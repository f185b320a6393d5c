import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { compactDecimal, formatPercent } from '../../core/decimal-format';
import { searchInstruments } from '../../core/instrument-search';
import { FocusService } from '../../data/focus.service';
import { InstrumentsService } from '../../data/instruments.service';
import { WatchlistService } from '../../data/watchlist.service';

/**
 * Every instrument across venues with its last price, 24 h (or session) change and volume; the row
 * flashes when the price moves. Click (or ↑/↓ with the list focused, Enter in the search box)
 * focuses an instrument; "/" anywhere jumps to the search box.
 */
@Component({
  selector: 'tw-watchlist',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './watchlist.component.html',
  styleUrl: './watchlist.component.css',
  host: { '(document:keydown)': 'globalKey($event)' },
})
export class WatchlistComponent {
  private readonly watchlist = inject(WatchlistService);
  private readonly focusService = inject(FocusService);
  protected readonly instruments = inject(InstrumentsService);
  private readonly search = viewChild.required<ElementRef<HTMLInputElement>>('search');
  private readonly list = viewChild.required<ElementRef<HTMLElement>>('list');

  protected readonly query = signal('');
  protected readonly rows = computed(() => searchInstruments(this.watchlist.rows(), this.query()));
  protected readonly focused = computed(() => this.focusService.instrument()?.instrument);
  protected readonly compact = compactDecimal;
  protected readonly percent = formatPercent;

  constructor() {
    // Keep the focused row in view when the keyboard moves it.
    effect(() => {
      const focused = this.focused();
      if (focused === undefined) return;
      queueMicrotask(() => {
        const rows = this.list().nativeElement.querySelectorAll<HTMLElement>('[data-instrument]');
        for (const row of Array.from(rows)) {
          // scrollIntoView is missing where there is no layout (jsdom).
          if (row.dataset['instrument'] !== focused) continue;
          (row as Partial<Pick<HTMLElement, 'scrollIntoView'>>).scrollIntoView?.({ block: 'nearest' });
        }
      });
    });
  }

  protected choose(instrument: string): void {
    this.focusService.focus(instrument);
  }

  protected listKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const rows = this.rows();
      const row = event.key === 'Home' ? rows[0] : rows[rows.length - 1];
      if (row !== undefined) this.choose(row.instrument.instrument);
    }
  }

  protected searchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      const first = this.rows()[0];
      if (first !== undefined) this.choose(first.instrument.instrument);
      this.list().nativeElement.focus();
    } else if (event.key === 'Escape') {
      this.query.set('');
      this.list().nativeElement.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.move(event.key === 'ArrowDown' ? 1 : -1);
    }
  }

  protected globalKey(event: KeyboardEvent): void {
    const target = event.target;
    const typing =
      target instanceof Element && target.closest('input, textarea, select, [contenteditable="true"]') !== null;
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.search().nativeElement.focus();
      this.search().nativeElement.select();
    } else if (!typing && event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      // Alt+↑/↓ switches symbol from anywhere.
      event.preventDefault();
      this.move(event.key === 'ArrowDown' ? 1 : -1);
    }
  }

  private move(step: number): void {
    const rows = this.rows();
    if (rows.length === 0) return;
    const index = rows.findIndex((row) => row.instrument.instrument === this.focused());
    const next = rows[index < 0 ? 0 : (index + step + rows.length) % rows.length];
    if (next !== undefined) this.choose(next.instrument.instrument);
  }
}
