import { Injectable, computed, effect, inject, signal } from '@angular/core';
import type { WireInstrument } from '@tickwire/feeds';
import { InstrumentsService } from './instruments.service';

const STORAGE_KEY = 'tickwire.focus';

/**
 * The instrument the terminal is focused on (ladder, tape, charts follow it), remembered across
 * reloads; falls back to the first instrument when the remembered one is not served.
 */
@Injectable({ providedIn: 'root' })
export class FocusService {
  private readonly instrumentsService = inject(InstrumentsService);
  private readonly chosen = signal<string | undefined>(readStored());

  /** Equal while it is the same instrument with the same channels: a reconnect's fresh copy changes nothing. */
  readonly instrument = computed<WireInstrument | undefined>(
    () => {
      const instruments = this.instrumentsService.instruments();
      const chosen = this.chosen();
      return instruments.find((candidate) => candidate.instrument === chosen) ?? instruments[0];
    },
    {
      equal: (a, b) =>
        a === b ||
        (a !== undefined &&
          b !== undefined &&
          a.instrument === b.instrument &&
          a.source === b.source &&
          a.tickSize === b.tickSize &&
          a.channels.join() === b.channels.join()),
    },
  );

  constructor() {
    effect(() => {
      const focused = this.instrument();
      if (focused !== undefined) writeStored(focused.instrument);
    });
  }

  focus(instrument: string): void {
    this.chosen.set(instrument);
  }
}

function readStored(): string | undefined {
  try {
    return globalThis.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeStored(instrument: string): void {
  try {
    globalThis.localStorage.setItem(STORAGE_KEY, instrument);
  } catch {
    // Private mode or storage full: the focus is simply not remembered.
  }
}
