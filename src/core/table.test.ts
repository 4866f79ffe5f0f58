import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns columns two spaces apart and leaves the last column unpadded', () => {
    expect(formatTable([['id', 'name', 'note'], ['a-long-id', 'x', ''], ['b', 'longer name', 'end']])).toBe(
      ['id         name         note', 'a-long-id  x', 'b          longer name  end'].join('\n'),
    );
  });
  it('renders an empty table as an empty string', () => {
    expect(formatTable([])).toBe('');
  });
});
