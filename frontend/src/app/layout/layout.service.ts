import { Injectable, signal } from '@angular/core';

/** Sizes of the resizable panes, in CSS pixels. */
export interface PaneSizes {
  readonly watchlist: number;
  readonly ladder: number;
  readonly tape: number;
  readonly depth: number;
}

export type PaneName = keyof PaneSizes;

const STORAGE_KEY = 'tickwire.layout.v1';

/** Defaults that leave the chart at least half the width of a 1280 px screen, more on wider ones. */
export function defaultSizes(viewportWidth: number): PaneSizes {
  return viewportWidth < 1600
    ? { watchlist: 220, ladder: 270, tape: 250, depth: 170 }
    : { watchlist: 260, ladder: 320, tape: 300, depth: 230 };
}

const DEFAULT_SIZES = defaultSizes(globalThis.innerWidth || 1280);

/** Bounds per pane: a pane stays usable however it is dragged. */
export const PANE_LIMITS: Readonly<Record<PaneName, readonly [min: number, max: number]>> = {
  watchlist: [170, 480],
  ladder: [220, 600],
  tape: [220, 560],
  depth: [110, 520],
};

export function clampSize(pane: PaneName, size: number): number {
  const [min, max] = PANE_LIMITS[pane];
  return Math.round(Math.min(max, Math.max(min, size)));
}

/** Parses stored sizes, keeping defaults for anything missing or malformed. */
export function parseSizes(text: string | null, defaults: PaneSizes = DEFAULT_SIZES): PaneSizes {
  if (text === null) return defaults;
  try {
    const stored = JSON.parse(text) as Partial<Record<PaneName, unknown>>;
    const pick = (pane: PaneName): number => {
      const value = stored[pane];
      return typeof value === 'number' && Number.isFinite(value) ? clampSize(pane, value) : defaults[pane];
    };
    return { watchlist: pick('watchlist'), ladder: pick('ladder'), tape: pick('tape'), depth: pick('depth') };
  } catch {
    return defaults;
  }
}

/** The pane sizes, remembered in localStorage. */
@Injectable({ providedIn: 'root' })
export class LayoutService {
  private readonly current = signal<PaneSizes>(parseSizes(read()));
  readonly sizes = this.current.asReadonly();

  resize(pane: PaneName, size: number): void {
    const next = { ...this.current(), [pane]: clampSize(pane, size) };
    this.current.set(next);
    try {
      globalThis.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Not remembered (private mode); the layout still works.
    }
  }

  reset(): void {
    this.current.set(defaultSizes(globalThis.innerWidth || 1280));
    try {
      globalThis.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing to forget
    }
  }
}

function read(): string | null {
  try {
    return globalThis.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
