import { ColumnMeasure, alignPad, columnChars } from './decimal-align';

describe('decimal alignment', () => {
  it('shifts each text so the points line up', () => {
    const column = new ColumnMeasure();
    for (const text of ['1.06', '0.013', '10.914', '5']) column.add(text);
    expect(column.integer).toBe(2);
    expect(column.fraction).toBe(3);
    expect(column.chars).toBe(6);
    expect(alignPad('1.06', 3)).toBe(1);
    expect(alignPad('0.013', 3)).toBe(0);
    expect(alignPad('5', 3)).toBe(4);
    expect(alignPad('5', 0)).toBe(0);
    expect(columnChars(4, 0)).toBe(4);
    expect(column.reset().chars).toBe(0);
  });
});
