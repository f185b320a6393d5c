import type { BookSide } from '../../book';
import { parseLevel } from '../../book/parse-level';
import type { PriceLevel } from '../../model/events';

/**
 * Canonical levels split by side, in wire order. Each level is validated by the book's own rules
 * (decimal text, positive price, non-negative size) and a bad one throws BookUpdateError, so a
 * frame is checked completely before any book changes.
 */
export class LevelCollector {
  readonly bids: PriceLevel[] = [];
  readonly asks: PriceLevel[] = [];

  add(side: BookSide, price: string, size: string): void {
    const list = side === 'bid' ? this.bids : this.asks;
    const level = parseLevel(side, list.length, [price, size]);
    list.push([level.price, level.size]);
  }

  get count(): number {
    return this.bids.length + this.asks.length;
  }
}
