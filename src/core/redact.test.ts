import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { formatRedaction, LOWER_HINT_GATE, looksLikeSecretName, redactDeep, redactSecrets } from './redact.js';
import { createScrubber, secretValuesOf } from './redact.js';
import { CONTEXT_RULES, TOKEN_RULES } from './redact-rules.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/redaction');

interface CorpusCase {
  header: string;
  text: string;
}

/** Read a corpus file: `=== header` lines start cases; `#` lines before the first case are comments. */
function readCorpus(name: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  let current: { header: string; lines: string[] } | undefined;
  for (const line of fs.readFileSync(path.join(fixtures, name), 'utf8').split('\n')) {
    if (line.startsWith('=== ')) {
      if (current) cases.push({ header: current.header, text: current.lines.join('\n').trimEnd() });
      current = { header: line.slice(4), lines: [] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) cases.push({ header: current.header, text: current.lines.join('\n').trimEnd() });
  return cases;
}

describe('redactSecrets on the secrets corpus', () => {
  const cases = readCorpus('secrets.txt').map((c) => {
    const [kind = '', needle = ''] = c.header.split(' :: ');
    return { kind, needle, text: c.text };
  });

  it('holds at least 50 cases, each naming a kind and a distinctive part of the secret', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    for (const c of cases) {
      expect(c.needle.length).toBeGreaterThanOrEqual(8);
      expect(c.text).toContain(c.needle);
    }
  });

  it.each(cases.map((c) => [`${c.kind}: ${c.text.slice(0, 50)}`, c] as const))('redacts %s', (_label, c) => {
    const r = redactSecrets(c.text);
    expect(r.text).not.toContain(c.needle);
    expect(r.text).toContain(formatRedaction(c.kind));
    expect(r.kinds).toContain(c.kind);
    expect(r.count).toBe(r.kinds.length);
  });

  it('exercises every rule kind at least once', () => {
    const covered = new Set(cases.map((c) => c.kind));
    const kinds = [...TOKEN_RULES, ...CONTEXT_RULES].map((r) => r.kind).concat('private_key');
    expect(kinds.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('is idempotent: a second pass changes nothing and counts nothing', () => {
    for (const c of cases) {
      const once = redactSecrets(c.text);
      const twice = redactSecrets(once.text);
      expect(twice.text).toBe(once.text);
      expect(twice.count).toBe(0);
    }
  });

  it('redacts every case when they are concatenated into one transcript', () => {
    const all = cases.map((c) => c.text).join('\n\n');
    const r = redactSecrets(all);
    for (const c of cases) expect(r.text).not.toContain(c.needle);
    expect(r.count).toBeGreaterThanOrEqual(cases.length);
  });
});

describe('redactSecrets on the look-alike corpus', () => {
  const cases = readCorpus('lookalikes.txt');

  it('holds at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.map((c) => [`${c.header}: ${c.text.slice(0, 50)}`, c] as const))('keeps %s', (_label, c) => {
    const r = redactSecrets(c.text);
    expect(r.text).toBe(c.text);
    expect(r.count).toBe(0);
  });
});

describe('redactSecrets details', () => {
  it('keeps the text around a secret byte-identical', () => {
    const text = 'before\r\n\tkey=sk-Ab12Cd34Ef56Gh78Ij90KlMnOp after ünïcödé 🙂';
    const r = redactSecrets(text);
    expect(r.text).toBe('before\r\n\tkey=[REDACTED:openai_key] after ünïcödé 🙂');
  });

  it('keeps user and host of a URL with a password', () => {
    const r = redactSecrets('postgres://app:Zq93kLm0pW@db.local:5432/x');
    expect(r.text).toBe('postgres://app:[REDACTED:url_password]@db.local:5432/x');
  });

  it('keeps quotes and `export` of an .env line', () => {
    expect(redactSecrets(`export API_TOKEN="a1b2c3d4e5"`).text).toBe('export API_TOKEN="[REDACTED:env_secret]"');
    expect(redactSecrets(`API_TOKEN='a1b2c3d4e5'`).text).toBe(`API_TOKEN='[REDACTED:env_secret]'`);
  });

  it('names the provider rather than the env var when the value is a known token', () => {
    const r = redactSecrets('GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345');
    expect(r.kinds).toEqual(['github_token']);
  });

  it('keeps the auth scheme of a header and counts one secret', () => {
    const r = redactSecrets('Authorization: Basic YWxpY2U6c2VjcmV0MTIz');
    expect(r.text).toBe('Authorization: Basic [REDACTED:authorization]');
    expect(r.count).toBe(1);
  });

  it('finds tokens after JSON escapes and percent-encoded bytes', () => {
    const r = redactSecrets('"line one\\nsk-Ab12Cd34Ef56Gh78Ij90KlMnOp\\tAKIAABCDEFGHIJ234567" and q=%22ghp_0123456789abcdefghijABCDEFGHIJ012345%22');
    expect(r.text).toBe('"line one\\n[REDACTED:openai_key]\\t[REDACTED:aws_access_key_id]" and q=%22[REDACTED:github_token]%22');
  });

  it('redacts a PEM block whose END line was cut off, but not the prose after it', () => {
    const text = 'key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB3x9\nQ2xvdWQ=\nThat was the key, thanks.';
    const r = redactSecrets(text);
    expect(r.text).toBe('key:\n[REDACTED:private_key]\nThat was the key, thanks.');
  });

  it('redacts several PEM blocks and keeps what lies between them', () => {
    const block = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----';
    expect(redactSecrets(`${block} and ${block}`).text).toBe('[REDACTED:private_key] and [REDACTED:private_key]');
  });

  it('returns the same string instance when nothing is found', () => {
    const text = 'nothing to see here';
    expect(redactSecrets(text)).toEqual({ text, count: 0, kinds: [] });
  });

  it('finishes on pathological inputs built from every prefix it knows', () => {
    const prefixes = [
      'sk-', 'sk-ant-', 'ghp_', 'github_pat_', 'glpat-', 'xoxb-', 'AIza', 'GOCSPX-', 'sk_live_', 'whsec_', 'npm_',
      'hf_', 'AKIA', 'eyJ', 'eyJa.', 'https://a:', 'a://', 'Authorization: Bearer ', 'bearer ', 'x-api-key: ',
      'curl -u a:', '--token ', 'machine a login b password ', 'API_KEY=', 'password: ', '"password": "',
      "token='", 'a_token=', '-----BEGIN PRIVATE KEY-----\n', 'aws_secret_access_key=', '\\n', 'a'.repeat(70),
    ];
    for (const p of prefixes) {
      const text = p.repeat(Math.ceil(200_000 / p.length));
      const r = redactSecrets(text);
      expect(typeof r.text).toBe('string');
    }
    const blob = 'A'.repeat(200_000) + '=' + 'x'.repeat(1000);
    expect(redactSecrets(blob).count).toBe(0);
  });
});

describe('redactDeep', () => {
  it('redacts strings anywhere in a JSON-like value and whole values of secret-named keys', () => {
    const input = {
      message: { content: [{ type: 'text', text: 'use sk-Ab12Cd34Ef56Gh78Ij90KlMnOp please' }] },
      headers: { Authorization: 'Bearer opaque0token', accept: 'application/json' },
      password: 'hunter2',
      max_tokens: 512,
      nested: [['AKIAABCDEFGHIJ234567'], null, true],
      apiKey: '$API_KEY',
    };
    const { value, count } = redactDeep(input);
    expect(value).toEqual({
      message: { content: [{ type: 'text', text: 'use [REDACTED:openai_key] please' }] },
      headers: { Authorization: 'Bearer [REDACTED:secret_field]', accept: 'application/json' },
      password: '[REDACTED:secret_field]',
      max_tokens: 512,
      nested: [['[REDACTED:aws_access_key_id]'], null, true],
      apiKey: '$API_KEY',
    });
    expect(count).toBe(4);
    expect(input.password).toBe('hunter2');
  });

  it('points shared and cyclic references at the redacted copy', () => {
    const shared = { token: 'a1b2c3d4e5f6' };
    const root: Record<string, unknown> = { a: shared, b: shared };
    root.self = root;
    const { value, count } = redactDeep(root);
    expect(value.a).toEqual({ token: '[REDACTED:secret_field]' });
    expect(value.b).toBe(value.a);
    expect(value.self).toBe(value);
    expect(count).toBe(1);
  });

  it('passes primitives through and redacts a bare string', () => {
    expect(redactDeep(42)).toEqual({ value: 42, count: 0 });
    expect(redactDeep('glpat-abcdefghij0123456789').value).toBe('[REDACTED:gitlab_token]');
  });
});

describe('looksLikeSecretName', () => {
  it.each([
    ['API_KEY', true], ['clientSecret', true], ['DB_PASSWORD', true], ['aws_secret_access_key', true],
    ['OPENAI_KEY', true], ['AUTH', true], ['refreshToken', true], ['spring.datasource.password', true],
    ['TOKEN_LIMIT', false], ['MAX_TOKENS', false], ['PORT', false], ['AUTHOR', false], ['SORT_KEY', false],
    ['key', false], ['PWD', false], ['AUTH_URL', false], ['CLIENT_ID', false], ['TOKENIZERS_PARALLELISM', false],
  ] as const)('%s -> %s', (name, expected) => {
    expect(looksLikeSecretName(name)).toBe(expected);
  });
});

describe('rule prefilters', () => {
  // A hint or precheck only skips the pattern when it cannot match: on every corpus case (secrets and false
  // positives alike), wherever the pattern finds a match the prefilter passes.
  const texts = fs.readdirSync(fixtures).flatMap((name) => readCorpus(name).map((c) => c.text));

  it.each([...TOKEN_RULES, ...CONTEXT_RULES].filter((r) => r.hints || r.precheck || r.lowerHints).map((r) => [r.kind, r] as const))('%s: prefilter never hides a match', (_kind, rule) => {
    for (const text of texts) {
      rule.pattern.lastIndex = 0;
      const hit = rule.pattern.test(text);
      rule.pattern.lastIndex = 0;
      if (!hit) continue;
      if (rule.hints) expect(rule.hints.some((h) => text.includes(h)), text).toBe(true);
      if (rule.precheck) expect(rule.precheck.test(text), text).toBe(true);
      if (rule.lowerHints) {
        expect(rule.lowerHints.some((h) => text.toLowerCase().includes(h)), text).toBe(true);
        expect(LOWER_HINT_GATE.test(text), text).toBe(true);
      }
    }
    expect(texts.length).toBeGreaterThan(20);
  });
});

describe('createScrubber', () => {
  it('removes the literal keys in use and everything the rules know, leaving other text alone', () => {
    const env = { OPENAI_API_KEY: 'local-key-7f3a9c', MY_LLM: 'plain-value-123', HOME: '/home/a', SHORT_TOKEN: 'abc', CUSTOM: 'zzzz-9999-yyyy' };
    const values = secretValuesOf(env, ['CUSTOM']);
    expect(values.sort()).toEqual(['local-key-7f3a9c', 'zzzz-9999-yyyy']);
    const scrub = createScrubber(values);
    const text = 'HTTP 401: Incorrect API key provided: local-key-7f3a9c. Also zzzz-9999-yyyy and sk-proj-Zt7QmW3xR9vLk2PbN8sY4cHf6JdGa1Ue5oTi0 in /home/a';
    const out = scrub(text);
    expect(out).not.toContain('local-key-7f3a9c');
    expect(out).not.toContain('zzzz-9999-yyyy');
    expect(out).not.toContain('Zt7QmW3xR9vLk2');
    expect(out).toContain('Incorrect API key provided: [REDACTED:api_key]');
    expect(out).toContain('/home/a');
    expect(scrub(out)).toBe(out);
  });
});

describe('createScrubber on structured output', () => {
  it('leaves JSON field names that sound secret alone, so --json output stays JSON', () => {
    const scrub = createScrubber([]);
    const json = JSON.stringify({ secretsRedacted: 3, maxTokens: 9000, token_budget: 'ok', key: 'sk-proj-Zt7QmW3xR9vLk2PbN8sY4cHf6JdGa1Ue5oTi0' }, null, 2);
    const out = scrub(json);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed).toMatchObject({ secretsRedacted: 3, maxTokens: 9000, token_budget: 'ok' });
    expect(String(parsed.key)).toContain('[REDACTED:');
  });
});
