/**
 * Drops trades already delivered on this connection, by trade id per product. Advanced Trade
 * trade ids are decimal digit strings ("995098700", "000000000" in the docs), compared as integers;
 * an id of another shape cannot be ordered and always passes.
 */
export class TradeIdFilter {
  private readonly last = new Map<string, bigint>();
  readonly stats = { duplicates: 0 };

  /**
   * Ascending id order (a batch may list newest first); items whose id is not a digit string
   * follow in their own order.
   */
  static ordered<T>(items: readonly T[], idOf: (item: T) => string): T[] {
    const numeric = items.filter((item) => isDigits(idOf(item)));
    const other = items.filter((item) => !isDigits(idOf(item)));
    numeric.sort((a, b) => compare(BigInt(idOf(a)), BigInt(idOf(b))));
    return [...numeric, ...other];
  }

  /** Remembers the highest id of a batch without passing it on (a snapshot of past trades). */
  seed(productId: string, tradeId: string): void {
    if (!isDigits(tradeId)) return;
    const id = BigInt(tradeId);
    const last = this.last.get(productId);
    if (last === undefined || id > last) this.last.set(productId, id);
  }

  /** True for a trade newer than every trade seen for its product; remembers it. */
  accept(productId: string, tradeId: string): boolean {
    if (!isDigits(tradeId)) return true;
    const id = BigInt(tradeId);
    const last = this.last.get(productId);
    if (last !== undefined && id <= last) {
      this.stats.duplicates++;
      return false;
    }
    this.last.set(productId, id);
    return true;
  }
}

function isDigits(text: string): boolean {
  return text.length > 0 && text.length <= 30 && /^\d+$/.test(text);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
