import { describe, it, expect } from 'vitest';
import {
  PROTECTED_END,
  PROTECTED_START,
  hasProtectedMarker,
  locateProtected,
  readProtectedContent,
  stripProtectedRegion,
  writeProtectedContent,
} from './protected-region.js';
import * as document from './document.js';

const S = PROTECTED_START;
const E = PROTECTED_END;

describe('marker constants', () => {
  it('are the literal marker lines and are re-exported by document.ts', () => {
    expect(S).toBe('<!-- skillopt:slow-update:start -->');
    expect(E).toBe('<!-- skillopt:slow-update:end -->');
    expect(document.PROTECTED_START).toBe(S);
    expect(document.PROTECTED_END).toBe(E);
  });

  it('hasProtectedMarker catches partial and differently cased markers', () => {
    expect(hasProtectedMarker(`x ${S} y`)).toBe(true);
    expect(hasProtectedMarker('<!-- SKILLOPT:SLOW-UPDATE:end')).toBe(true);
    expect(hasProtectedMarker('<!-- another comment -->')).toBe(false);
  });
});

describe('locateProtected', () => {
  it('pairs markers and reports orphans', () => {
    const body = `${E}\na\n${S}\nin\n${E}\nb\n${S}\n`;
    const layout = locateProtected(body);
    expect(layout.blocks).toHaveLength(1);
    expect(layout.orphans.map((o) => body.slice(o.start, o.end))).toEqual([E, S]);
    const block = layout.blocks[0];
    expect(block && body.slice(block.contentStart, block.contentEnd)).toBe('in\n');
  });

  it('reports every start as an orphan when no end follows them', () => {
    const body = `${S}\na\n${S}\nb\n`;
    expect(locateProtected(body).orphans.map((o) => o.start)).toEqual([0, S.length + 3]);
    expect(writeProtectedContent(body, 'g')).toBe(`a\nb\n\n${S}\ng\n${E}\n`);
  });

  it('accepts markers with surrounding spaces but not inside other text', () => {
    expect(locateProtected(`  ${S}  \nx\n\t${E}\n`).blocks).toHaveLength(1);
    expect(locateProtected(`see ${S}\nx\n${E}\n`).blocks).toHaveLength(0);
  });
});

describe('readProtectedContent', () => {
  it('returns the raw content between the markers, or null', () => {
    expect(readProtectedContent(`# T\n\n${S}\nguide\n\nmore\n${E}\n`)).toBe('guide\n\nmore\n');
    expect(readProtectedContent(`# T\r\n${S}\r\ng\r\n${E}`)).toBe('g\r\n');
    expect(readProtectedContent('# T\n')).toBeNull();
    expect(readProtectedContent(`# T\n${S}\nunclosed\n`)).toBeNull();
    expect(readProtectedContent(`${S}\n${E}\n`)).toBe('');
  });

  it('ignores markers inside the frontmatter', () => {
    const text = `---\ndescription: "${S}"\n---\nbody\n`;
    expect(readProtectedContent(text)).toBeNull();
  });
});

describe('writeProtectedContent', () => {
  it('appends a block at the end of the body, separated by one blank line', () => {
    expect(writeProtectedContent('---\nname: x\n---\n# T\n\nText\n', 'Guide')).toBe(
      `---\nname: x\n---\n# T\n\nText\n\n${S}\nGuide\n${E}\n`,
    );
  });

  it('handles an empty body and a body without a final newline', () => {
    expect(writeProtectedContent('', 'g')).toBe(`${S}\ng\n${E}\n`);
    expect(writeProtectedContent('---\na: 1\n---\n', 'g')).toBe(`---\na: 1\n---\n${S}\ng\n${E}\n`);
    expect(writeProtectedContent('# T', 'g')).toBe(`# T\n\n${S}\ng\n${E}\n`);
    expect(writeProtectedContent('---\r\na: 1\r\n---', 'g')).toBe(`---\r\na: 1\r\n---\r\n${S}\r\ng\r\n${E}\r\n`);
  });

  it('replaces only the content of an existing block and leaves every other byte alone', () => {
    const before = `# T  \n\n\n\nkeep   this\n\n${S}\nold\n${E}\n\ntail text\n\n\n`;
    const after = writeProtectedContent(before, 'new line 1\nnew line 2\n');
    expect(after).toBe(`# T  \n\n\n\nkeep   this\n\n${S}\nnew line 1\nnew line 2\n${E}\n\ntail text\n\n\n`);
  });

  it('writes in the document line ending', () => {
    expect(writeProtectedContent(`a\r\n\r\n${S}\r\nold\r\n${E}\r\n`, 'x\ny')).toBe(`a\r\n\r\n${S}\r\nx\r\ny\r\n${E}\r\n`);
    expect(writeProtectedContent('a\r\n', 'x')).toBe(`a\r\n\r\n${S}\r\nx\r\n${E}\r\n`);
  });

  it('keeps the BOM and the frontmatter bytes', () => {
    const text = `\uFEFF---\r\nname: x  \r\n---\r\nbody\r\n`;
    expect(writeProtectedContent(text, 'g').startsWith('\uFEFF---\r\nname: x  \r\n---\r\nbody\r\n')).toBe(true);
  });

  it('removes duplicate blocks whole and orphan markers alone', () => {
    const before = `${E}\nintro\n${S}\none\n${E}\nmiddle\n${S}\nstale copy\n${E}\nend\n${S}\n`;
    expect(writeProtectedContent(before, 'fresh')).toBe(`intro\n${S}\nfresh\n${E}\nmiddle\nend\n`);
  });

  it('keeps a blank line where a leading orphan sat above a "---" line, so no frontmatter appears', () => {
    expect(writeProtectedContent(`${E}\n---\nx\n---\n`, 'g')).toBe(`\n---\nx\n---\n\n${S}\ng\n${E}\n`);
    expect(writeProtectedContent(`${E}\n ${E}\n---\nx\n---\n`, 'g')).toBe(`\n---\nx\n---\n\n${S}\ng\n${E}\n`);
  });

  it('turns orphan-only markers into a fresh block at the end', () => {
    expect(writeProtectedContent(`a\n${S}\nb\n`, 'g')).toBe(`a\nb\n\n${S}\ng\n${E}\n`);
  });

  it('drops marker lines from the content so the region stays well formed', () => {
    const out = writeProtectedContent('a\n', `x\n${E}\ny\n${S}`);
    expect(readProtectedContent(out)).toBe('x\ny\n');
    expect(locateProtected(out).blocks).toHaveLength(1);
    expect(locateProtected(out).orphans).toHaveLength(0);
  });

  it('writes an empty block for empty content', () => {
    expect(writeProtectedContent('a\n', '')).toBe(`a\n\n${S}\n${E}\n`);
  });

  it('is the inverse of read for a document with one block', () => {
    const text = `# T\r\n\r\n${S}\r\n\r\nspaced  \r\n\r\n${E}\r\nafter`;
    expect(writeProtectedContent(text, readProtectedContent(text) ?? '')).toBe(text);
  });
});

describe('stripProtectedRegion', () => {
  it('undoes the block that writeProtectedContent appended', () => {
    for (const text of ['# T\n\nText\n', '---\nn: 1\n---\nA\n\n\n', 'x\r\ny\r\n', '']) {
      expect(stripProtectedRegion(writeProtectedContent(text, 'guide\nmore'))).toBe(text);
    }
  });

  it('removes a block in the middle without leaving a double blank line', () => {
    expect(stripProtectedRegion(`a\n\n${S}\ng\n${E}\n\nb\n`)).toBe('a\n\nb\n');
    expect(stripProtectedRegion(`${S}\ng\n${E}\n\nb\n`)).toBe('b\n');
    expect(stripProtectedRegion(`a\n${S}\ng\n${E}\nb\n`)).toBe('a\nb\n');
  });

  it('removes duplicates and orphans too, and leaves documents without markers alone', () => {
    expect(stripProtectedRegion(`a\n${E}\nb\n${S}\n1\n${E}\n${S}\n2\n${E}\n`)).toBe('a\nb\n');
    const plain = '---\nx: 1\n---\n\n\nbody  \n\n';
    expect(stripProtectedRegion(plain)).toBe(plain);
  });
});
