// The edit policy: what a proposed edit must not slip into a skill without a person reading it.
import { redactSecrets } from '../core/redact.js';
import type { Edit } from './types.js';

/** Why an edit is flagged. */
export type PolicyFlag = 'url' | 'pipe_to_interpreter' | 'override_instructions' | 'encoded_blob' | 'secret' | 'too_long';

/** One flagged edit: its index among the proposal's edits, the kinds and a short reason a person can read. */
export interface FlaggedEdit {
  edit: number;
  kinds: PolicyFlag[];
  detail: string;
}

const URL = /\b(?:https?|ftp|file|data):\/\/?[^\s)>\]]+|\bwww\.[a-z0-9-]+\.[a-z]{2,}/i;
// curl … | sh, wget -O- … | python, base64 -d | bash, iex (iwr …): fetched or decoded text run by an interpreter.
const PIPE = /\|\s*(?:sudo\s+)?(?:ba|z|da|k|fi)?sh\b|\|\s*(?:sudo\s+)?(?:python[0-9.]*|node|perl|ruby|php|pwsh|powershell|iex|eval)\b|\b(?:iex|invoke-expression)\s*\(|\beval\s+["'`$(]/i;
const OVERRIDE = [
  /\bignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|other|user'?s?|system)\b[^.\n]{0,40}\b(?:instructions?|requests?|messages?|prompts?|rules?)/i,
  /\b(?:disregard|override|forget)\b[^.\n]{0,40}\b(?:instructions?|the user|system prompt|rules?|guidelines?)/i,
  /\bdo not (?:tell|inform|ask) the user\b/i,
  /\b(?:never|don'?t) (?:ask|check with) the user\b/i,
  /\bwithout (?:asking|telling|the user'?s? (?:consent|permission))\b/i,
];
const BLOB = /(?:[A-Za-z0-9+/]{60,}={0,2})|(?:\b[0-9a-f]{64,}\b)|(?:(?:\\x[0-9a-f]{2}){12,})/i;

/** Flags for one edit's added text (content; the anchor is text already in the skill). */
export function flagEditText(text: string, maxChars: number): { kinds: PolicyFlag[]; reasons: string[] } {
  const kinds: PolicyFlag[] = [];
  const reasons: string[] = [];
  const flag = (kind: PolicyFlag, reason: string) => {
    kinds.push(kind);
    reasons.push(reason);
  };
  const url = URL.exec(text);
  if (url) flag('url', `adds a link (${url[0].slice(0, 60)})`);
  if (PIPE.test(text)) flag('pipe_to_interpreter', 'pipes text into a shell or interpreter');
  const override = OVERRIDE.map((r) => r.exec(text)).find((m) => m !== null);
  if (override) flag('override_instructions', `tells the agent to set aside the user or other instructions ("${override[0].slice(0, 60)}")`);
  if (BLOB.test(text)) flag('encoded_blob', 'holds an encoded blob (base64 or hex)');
  const secrets = redactSecrets(text);
  if (secrets.count > 0) flag('secret', `holds what looks like a secret (${[...new Set(secrets.kinds)].join(', ')})`);
  if (text.length > maxChars) flag('too_long', `adds ${text.length} characters (policy limit ${maxChars})`);
  return { kinds, reasons };
}

/** Check every edit of a proposal; only flagged edits are returned. */
export function flagEdits(edits: readonly Edit[], maxChars: number): FlaggedEdit[] {
  const out: FlaggedEdit[] = [];
  edits.forEach((edit, index) => {
    if (edit.op === 'delete') return;
    const { kinds, reasons } = flagEditText(edit.content ?? '', maxChars);
    if (kinds.length > 0) out.push({ edit: index, kinds, detail: reasons.join('; ') });
  });
  return out;
}
