import type { BookSide, WireLevel } from './book-level';

/**
 * A book update that cannot be applied (invalid decimal text, negative size, non-positive price).
 * Thrown before anything of that update is applied, so the book is never half-updated.
 */
export class BookUpdateError extends Error {
  override readonly name = 'BookUpdateError';

  constructor(
    readonly side: BookSide,
    /** Position of the offending level in the update's list for `side`. */
    readonly index: number,
    readonly level: WireLevel,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${side} level ${index} ${describe(level)}: ${reason}`, options);
  }
}

function describe(level: WireLevel): string {
  const text = JSON.stringify(level);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}
