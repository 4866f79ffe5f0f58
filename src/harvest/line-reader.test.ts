import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync, appendFileSync, openSync, closeSync, fstatSync } from 'node:fs';
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
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const lines: string[] = [];
    let oversized = 0;
    const result = readLines(fd, {
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
    closeSync(fd);
  }
}

describe('readLines', () => {
  it('splits across chunk boundaries, drops CR, keeps empty lines for the caller', async () => {
    const { lines, result } = await read(tempFile('{"a":1}\r\n\n{"bb":22}\n'));
    expect(lines).toEqual(['{"a":1}', '', '{"bb":22}']);
    const { window, ...rest } = result;
    expect(rest).toEqual({ endOffset: 20, bytesRead: 20, skipping: false, partialBytes: 0 });
    // Chunks of 7 bytes: the last chunk read starts at 14 and holds the rest of the file.
    expect(window.position).toBe(14);
    expect(window.bytes.toString('utf8')).toBe('":22}\n');
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
  const fingerprint = (path: string, offset: number): string => {
    const fd = openSync(path, 'r');
    try {
      return fingerprintPrefix(fd, offset);
    } finally {
      closeSync(fd);
    }
  };

  it('matches for an appended file and differs for a rewritten prefix', () => {
    const path = tempFile(`${'a'.repeat(10_000)}\n`);
    const before = fingerprint(path, 10_001);
    appendFileSync(path, 'more\n');
    expect(fingerprint(path, 10_001)).toBe(before);
    writeFileSync(path, `${'a'.repeat(9_999)}b\nmore\n`);
    expect(fingerprint(path, 10_001)).not.toBe(before);
  });

  it('gives the same fingerprint from the bytes a read left in memory as from reading them again', async () => {
    // Sizes around the 4 KB head and tail windows, files in one chunk and in several.
    for (const size of [1, 100, 4095, 4096, 4097, 8191, 8192, 8193, 20_000]) {
      for (const chunk of [7, 4096, 5000, 1 << 20]) {
        const body = Array.from({ length: size }, (_, i) => (i % 97 === 96 ? '\n' : String.fromCharCode(97 + (i % 26)))).join('');
        const path = tempFile(`${body}\n`);
        const { result } = await read(path, 0, { chunk, max: 1 << 20 });
        const fd = openSync(path, 'r');
        try {
          expect(fingerprintPrefix(fd, result.endOffset, result.window), `${size}/${chunk}`).toBe(fingerprintPrefix(fd, result.endOffset));
        } finally {
          closeSync(fd);
        }
      }
    }
  });
});

describe('looksBinary', () => {
  it('flags NUL bytes only', () => {
    expect(looksBinary(Buffer.from([0x7b, 0x00, 0x7d]))).toBe(true);
    expect(looksBinary(Buffer.from('{"a":"ü"}'))).toBe(false);
  });
});
