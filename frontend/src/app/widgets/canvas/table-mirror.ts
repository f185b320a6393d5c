/**
 * A visually hidden table that mirrors what a canvas draws, for screen readers and tests: rows are
 * created once up to `capacity` and then only their cells' text and data attributes are rewritten
 * (and only when they changed), so keeping it in step costs no allocation per frame.
 */
export class TableMirror {
  private readonly rows: HTMLTableRowElement[] = [];
  private readonly cells: HTMLTableCellElement[][] = [];
  private readonly sides: string[] = [];

  constructor(
    private readonly body: HTMLTableSectionElement,
    capacity: number,
    private readonly columns: 1 | 2 | 3 | 4,
  ) {
    this.ensure(capacity);
  }

  /** Writes one row: its `data-side` and its cells' text (up to four columns, no rest array). */
  set(index: number, side: string, c0: string, c1 = '', c2 = '', c3 = ''): void {
    this.ensure(index + 1);
    const row = this.rows[index] as HTMLTableRowElement;
    if (row.hidden) row.hidden = false;
    if (this.sides[index] !== side) {
      this.sides[index] = side;
      row.dataset['side'] = side;
    }
    const cells = this.cells[index] as HTMLTableCellElement[];
    for (let column = 0; column < this.columns; column++) {
      const text = column === 0 ? c0 : column === 1 ? c1 : column === 2 ? c2 : c3;
      const cell = cells[column] as HTMLTableCellElement;
      if (cell.textContent !== text) cell.textContent = text;
    }
  }

  /** Hides the rows from `count` on. */
  truncate(count: number): void {
    for (let index = count; index < this.rows.length; index++) {
      const row = this.rows[index] as HTMLTableRowElement;
      if (!row.hidden) row.hidden = true;
    }
  }

  private ensure(count: number): void {
    const document = this.body.ownerDocument;
    while (this.rows.length < count) {
      const row = document.createElement('tr');
      row.hidden = true;
      const cells: HTMLTableCellElement[] = [];
      for (let column = 0; column < this.columns; column++) cells.push(row.appendChild(document.createElement('td')));
      this.body.appendChild(row);
      this.rows.push(row);
      this.cells.push(cells);
      this.sides.push('');
    }
  }
}
