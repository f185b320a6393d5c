import { TableMirror } from './table-mirror';

describe('TableMirror', () => {
  it('rewrites preallocated rows in place and hides the unused ones', () => {
    const body = document.createElement('tbody');
    const mirror = new TableMirror(body, 3, 3);
    expect(body.rows).toHaveLength(3);
    mirror.set(0, 'ask', 'ask', '0.7923', '3647.5');
    mirror.set(1, 'bid', 'bid', '0.7908', '820');
    mirror.truncate(2);
    const first = body.rows[0]!;
    expect(first.dataset['side']).toBe('ask');
    expect(Array.from(first.cells, (cell) => cell.textContent)).toEqual(['ask', '0.7923', '3647.5']);
    expect(body.rows[2]!.hidden).toBe(true);

    mirror.set(0, 'ask', 'ask', '0.7924', '1');
    mirror.truncate(1);
    // Same elements, new text: nothing was created.
    expect(body.rows[0]).toBe(first);
    expect(body.rows).toHaveLength(3);
    expect(first.cells[1]!.textContent).toBe('0.7924');
    expect(body.rows[1]!.hidden).toBe(true);
  });

  it('grows when asked for a row past its capacity', () => {
    const body = document.createElement('tbody');
    const mirror = new TableMirror(body, 1, 2);
    mirror.set(4, 'bid', 'a', 'b');
    expect(body.rows).toHaveLength(5);
    expect(body.rows[4]!.hidden).toBe(false);
    expect(body.rows[3]!.hidden).toBe(true);
  });
});
