import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync, appendFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPrefix, looksBinary, readLines, type LineReadResult } from './line-reader.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'line-reader-'));
  dirs.push(dir);
  const path = join(dir, 'f.jsonl');
  writeFileSync(path, content);
  return path;
}

async function read(path: string, start = 0, options: { skipping?: boolean; max?: number; chunk?: number } = {}): Promise<{ lines: string[]; oversized: number; result: LineReadResult }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const lines: string[] = [];
    let oversized = 0;
    const result = await readLines(handle, {
      start,
      end: size,
      skipping: options.skipping ?? false,
      maxLineBytes: options.max ?? 1024,
      chunkBytes: options.chunk ?? 7,
      onLine: (b) => lines.push(b.toString('utf8')),
      onOversized: () => oversized++,
    });
    return { lines, oversized, result };
  } finally {
    await handle.close();
  }
}

describe('readLines', () => {
  it('splits across chunk boundaries, drops CR, keeps empty lines for the caller', async () => {
    const { lines, result } = await read(tempFile('{"a":1}\r\n\n{"bb":22}\n'));
    expect(lines).toEqual(['{"a":1}', '', '{"bb":22}']);
    expect(result).toEqual({ endOffset: 20, bytesRead: 20, skipping: false, partialBytes: 0 });
  });

  it('leaves a partial last line unread and resumes at its start', async () => {
    const path = tempFile('one\ntwo\nthr');
    const first = await read(path);
    expect(first.lines).toEqual(['one', 'two']);
    expect(first.result.endOffset).toBe(8);
    expect(first.result.partialBytes).toBe(3);
    appendFileSync(path, 'ee\nfour\n');
    const second = await read(path, first.result.endOffset);
    expect(second.lines).toEqual(['three', 'four']);
  });

  it('keeps multi-byte characters whole when a chunk splits them', async () => {
    const { lines } = await read(tempFile('アップデート\n日本語テキスト\n'), 0, { chunk: 5 });
    expect(lines).toEqual(['アップデート', '日本語テキスト']);
  });

  it('skips an oversized line without buffering it and resynchronises at the next newline', async () => {
    const big = 'x'.repeat(5000);
    const { lines, oversized } = await read(tempFile(`a\n${big}\nb\n${big}`), 0, { max: 100, chunk: 64 });
    expect(lines).toEqual(['a', 'b']);
    expect(oversized).toBe(2);
  });

  it('reports when it stops inside an oversized line and continues skipping next time', async () => {
    const path = tempFile(`a\n${'y'.repeat(500)}`);
    const first = await read(path, 0, { max: 100, chunk: 64 });
    expect(first.result.skipping).toBe(true);
    expect(first.result.endOffset).toBe(502);
    appendFileSync(path, 'yyy\nnext\n');
    const second = await read(path, first.result.endOffset, { skipping: true, max: 100 });
    expect(second.lines).toEqual(['next']);
    expect(second.oversized).toBe(0);
  });

  it('counts a complete line that exceeds the cap inside one chunk', async () => {
    const { lines, oversized } = await read(tempFile(`${'z'.repeat(50)}\nok\n`), 0, { max: 10, chunk: 4096 });
    expect(lines).toEqual(['ok']);
    expect(oversized).toBe(1);
  });
});

describe('fingerprintPrefix', () => {
  it('matches for an appended file and differs for a rewritten prefix', async () => {
    const path = tempFile(`${'a'.repeat(10_000)}\n`);
    const handle = await open(path, 'r');
    const before = await fingerprintPrefix(handle, 10_001);
    await handle.close();
    appendFileSync(path, 'more\n');
    const h2 = await open(path, 'r');
    expect(await fingerprintPrefix(h2, 10_001)).toBe(before);
    await h2.close();
    writeFileSync(path, `${'a'.repeat(9_999)}b\nmore\n`);
    const h3 = await open(path, 'r');
    expect(await fingerprintPrefix(h3, 10_001)).not.toBe(before);
    await h3.close();
  });
});

describe('looksBinary', () => {
  it('flags NUL bytes only', () => {
    expect(looksBinary(Buffer.from([0x7b, 0x00, 0x7d]))).toBe(true);
    expect(looksBinary(Buffer.from('{"a":"ü"}'))).toBe(false);
  });
});
