import type { FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';

/** Default cap on one line: longer lines (inline images, huge tool output) are skipped, never buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
/** Default read size per chunk. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Bytes taken from each end of the prefix for its fingerprint. */
const FINGERPRINT_WINDOW = 4096;

/** How to read appended bytes of a JSONL file. */
export interface LineReadOptions {
  /** Byte offset to start at (the checkpoint's offset). */
  start: number;
  /** Byte offset to stop at (the size seen by stat, so a file growing mid-read is read next time). */
  end: number;
  /** True when the previous read stopped inside an oversized line: drop bytes up to the next newline. */
  skipping: boolean;
  maxLineBytes: number;
  chunkBytes: number;
  /** Called with each complete line (without its newline or CR). */
  onLine(line: Buffer): void;
  /** Called once per line skipped for being longer than maxLineBytes. */
  onOversized(): void;
  /**
   * A chunk buffer to reuse (at least chunkBytes long, not used by anyone else meanwhile). A fresh 1 MB buffer per
   * file is garbage the collector frees late: over thousands of files that was most of a harvest's peak memory.
   */
  buffer?: Buffer | undefined;
}

/** Where reading stopped. */
export interface LineReadResult {
  /** Offset to resume from: after the last complete line, or the end when still skipping an oversized line. */
  endOffset: number;
  bytesRead: number;
  /** Still inside an oversized line at `endOffset`. */
  skipping: boolean;
  /** Bytes of an unfinished last line left for the next read (0 when none). */
  partialBytes: number;
}

/**
 * Read the complete lines between two offsets in chunks. A partial last line is left unread;
 * a line over the cap is dropped and reading resynchronises at the next newline, so memory stays
 * bounded by chunk + cap whatever the file holds.
 */
export async function readLines(handle: FileHandle, options: LineReadOptions): Promise<LineReadResult> {
  const size = Math.max(1, options.chunkBytes);
  const buffer = options.buffer && options.buffer.length >= size ? options.buffer.subarray(0, size) : Buffer.allocUnsafe(size);
  let position = options.start;
  let lineStart = options.start;
  let skipping = options.skipping;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let bytesRead = 0;

  while (position < options.end) {
    const want = Math.min(buffer.length, options.end - position);
    const { bytesRead: got } = await handle.read(buffer, 0, want, position);
    if (got === 0) break; // the file shrank under us; what was read stays valid
    bytesRead += got;
    const chunk = buffer.subarray(0, got);
    let from = 0;
    while (from < got) {
      const newline = chunk.indexOf(10, from);
      if (newline === -1) break;
      const lineEnd = position + newline + 1;
      if (skipping) {
        skipping = false;
      } else {
        const length = carryBytes + (newline - from);
        if (length > options.maxLineBytes) {
          options.onOversized();
        } else {
          const tail = chunk.subarray(from, newline);
          let line = carryBytes === 0 ? tail : Buffer.concat([...carry, tail], length);
          if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
          options.onLine(line);
        }
      }
      carry = [];
      carryBytes = 0;
      from = newline + 1;
      lineStart = lineEnd;
    }
    if (from < got && !skipping) {
      const rest = got - from;
      if (carryBytes + rest > options.maxLineBytes) {
        options.onOversized();
        skipping = true;
        carry = [];
        carryBytes = 0;
      } else {
        // Copy: the chunk buffer is reused by the next read.
        carry.push(Buffer.from(chunk.subarray(from)));
        carryBytes += rest;
      }
    }
    position += got;
  }
  if (skipping) return { endOffset: position, bytesRead, skipping: true, partialBytes: 0 };
  return { endOffset: lineStart, bytesRead, skipping: false, partialBytes: carryBytes };
}

/**
 * A fingerprint of the bytes before `offset`: its first and last 4 KB plus the length. Cheap to
 * recompute (two small reads) and enough to tell an appended file from a rewritten one.
 */
export async function fingerprintPrefix(handle: FileHandle, offset: number): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${offset}:`);
  const headLength = Math.min(offset, FINGERPRINT_WINDOW);
  const head = Buffer.alloc(headLength);
  if (headLength > 0) await readFully(handle, head, 0);
  hash.update(head);
  const tailStart = Math.max(headLength, offset - FINGERPRINT_WINDOW);
  const tail = Buffer.alloc(offset - tailStart);
  if (tail.length > 0) await readFully(handle, tail, tailStart);
  hash.update(tail);
  return hash.digest('hex');
}

async function readFully(handle: FileHandle, target: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) {
      target.fill(0, done); // shorter than expected: the fingerprint will simply not match
      return;
    }
    done += bytesRead;
  }
}

/** True when a line is binary garbage rather than text (NUL bytes never occur in JSONL text). */
export function looksBinary(line: Buffer): boolean {
  return line.indexOf(0) !== -1;
}
