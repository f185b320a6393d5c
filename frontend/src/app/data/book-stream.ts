import type { BookOptions } from './sdk';

/**
 * The book stream the ladder and the depth chart both observe: one channel key, so the SDK and the
 * gateway serve them one stream. 100 levels a side fill a tall ladder after grouping; 100 ms is
 * ten views a second, as fast as a trader reads.
 */
export const BOOK_STREAM: Required<BookOptions> = { depth: 100, intervalMs: 100 };
