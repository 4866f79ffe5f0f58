// Fuzz-ish property test: random edits on random documents never throw, never touch the
// frontmatter or the protected text, and every report row tells the truth about its edit.
import { describe, it, expect } from 'vitest';
import { createRng } from '../core/rng.js';
import type { Rng } from '../core/rng.js';
import { applyEdits } from './patch.js';
import { PROTECTED_END, PROTECTED_START, locateProtected, protectedRanges } from './protected-region.js';
import { splitSkillText } from './text.js';
import { parseSkill, serializeSkill, tryParseSkill } from './document.js';
import { readProtectedContent, stripProtectedRegion, writeProtectedContent } from './protected-region.js';
import type { Edit } from './types.js';

const WORDS = ['use', 'tabs', 'tests', 'commit', 'the', 'rule', 'Always', 'never', 'café', '日本', '🚀', 'x', '-', '`code`', '*'];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)] as T;

function sentence(rng: Rng): string {
  const n = 1 + rng.int(6);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(rng, WORDS));
  return words.join(pick(rng, [' ', ' ', '  ', '\t']));
}

function randomDoc(rng: Rng): string {
  const lines: string[] = [];
  const pieces = 3 + rng.int(10);
  for (let i = 0; i < pieces; i++) {
    switch (rng.int(9)) {
      case 0:
        lines.push(`# ${sentence(rng)}`);
        break;
      case 1:
        lines.push(`- ${sentence(rng)}`, `- ${sentence(rng)}`);
        break;
      case 2: {
        const fence = pick(rng, ['```', '~~~', '````']);
        lines.push(fence + pick(rng, ['', 'bash']), sentence(rng));
        if (rng.next() < 0.8) lines.push(fence);
        break;
      }
      case 3:
        lines.push(PROTECTED_START, sentence(rng), PROTECTED_END);
        break;
      case 4:
        lines.push(pick(rng, [PROTECTED_START, PROTECTED_END, `  ${PROTECTED_END}  `]));
        break;
      case 5:
        lines.push('', '');
        break;
      case 6:
        lines.push(`${sentence(rng)}   `);
        break;
      case 7:
        lines.push('---');
        break;
      default:
        lines.push(sentence(rng), '');
    }
  }
  const eol = rng.next() < 0.3 ? '\r\n' : '\n';
  let body = lines.join(eol);
  if (rng.next() < 0.7) body += eol;
  const front = rng.next() < 0.6 ? `---${eol}name: ${pick(rng, WORDS)}${eol}description: ${sentence(rng).replace(/[*`-]/g, 'z')}${eol}---${eol}` : '';
  const bom = rng.next() < 0.15 ? '\uFEFF' : '';
  return bom + front + body;
}

function randomEdit(rng: Rng, text: string): Edit {
  const op = pick(rng, ['append', 'insert_after', 'replace', 'delete', 'delete', 'replace', 'bogus'] as const);
  let anchor: string | undefined;
  const anchorKind = rng.int(5);
  if (anchorKind <= 2 && text.length > 0) {
    const start = rng.int(text.length);
    anchor = text.slice(start, start + 1 + rng.int(40));
  } else if (anchorKind === 3) anchor = sentence(rng);
  else anchor = pick(rng, [undefined, '', '  ']);
  let content: string | undefined;
  const contentKind = rng.int(8);
  if (contentKind === 0) content = pick(rng, [undefined, '', '\n']);
  else if (contentKind === 1) content = `${sentence(rng)}\n${PROTECTED_START}`;
  else if (contentKind === 2) content = pick(rng, ['---', '```', `${sentence(rng)}\n\n${sentence(rng)}`]);
  else content = sentence(rng);
  return { op: op as Edit['op'], anchor, content };
}

/** BOM and YAML text: what no edit may change (a fence that ended the file may gain its line ending). */
function frontmatterOf(text: string): [string, string | null] {
  const parts = splitSkillText(text);
  return [parts.bom, parts.frontmatter?.raw ?? null];
}

function protectedTexts(text: string): string[] {
  const { body } = splitSkillText(text);
  return protectedRanges(locateProtected(body)).map((r) => body.slice(r.start, r.end));
}

describe('applyEdits under random input', () => {
  it('never throws, never touches frontmatter or protected text, and reports truthfully', () => {
    const rng = createRng(20240611);
    let applied = 0;
    let unmatched = 0;
    for (let round = 0; round < 1500; round++) {
      const doc = randomDoc(rng);
      const edits: Edit[] = [];
      let current = doc;
      const count = 1 + rng.int(6);
      for (let i = 0; i < count; i++) {
        const edit = randomEdit(rng, current);
        edits.push(edit);
        // Each row must agree with applying that edit alone to the text before it.
        const step = applyEdits(current, [edit]);
        const row = step.report[0];
        expect(row?.index).toBe(0);
        if (row?.outcome.status === 'applied') {
          expect(step.text).not.toBe(current);
          applied++;
        } else {
          expect(step.text).toBe(current);
          unmatched++;
        }
        current = step.text;
      }
      const result = applyEdits(doc, edits);
      expect(result.text).toBe(current);
      expect(result.report.map((r) => r.index)).toEqual(edits.map((_, i) => i));
      expect(frontmatterOf(result.text)).toEqual(frontmatterOf(doc));
      expect(protectedTexts(result.text)).toEqual(protectedTexts(doc));
      if (tryParseSkill(doc).ok) expect(tryParseSkill(result.text).ok).toBe(true);
    }
    // The generator must exercise both paths, or the property above says little.
    expect(applied).toBeGreaterThan(500);
    expect(unmatched).toBeGreaterThan(500);
  });
});

describe('documents and the protected region under random input', () => {
  it('round-trip byte for byte, and writing the region is idempotent and readable', () => {
    const rng = createRng(77);
    let parsed = 0;
    for (let round = 0; round < 1500; round++) {
      const doc = randomDoc(rng);
      if (tryParseSkill(doc).ok) {
        expect(serializeSkill(parseSkill(doc))).toBe(doc);
        parsed++;
      }
      const content = `${sentence(rng)}\n\n${sentence(rng)}`;
      const once = writeProtectedContent(doc, content);
      expect(frontmatterOf(once)).toEqual(frontmatterOf(doc));
      expect(readProtectedContent(once)?.replace(/\r\n/g, '\n')).toBe(`${content}\n`);
      expect(writeProtectedContent(once, content)).toBe(once);
      const { body } = splitSkillText(once);
      expect(locateProtected(body).blocks).toHaveLength(1);
      expect(locateProtected(body).orphans).toHaveLength(0);
      expect(splitSkillText(stripProtectedRegion(once)).body).not.toContain('skillopt:slow-update');
    }
    expect(parsed).toBeGreaterThan(1000);
  });
});
