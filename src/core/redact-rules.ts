/**
 * The secret patterns behind `redactSecrets` (src/core/redact.ts), kept apart so the list can grow
 * without the engine. Every pattern is linear-time on V8's backtracking engine: a token body is
 * preceded by a lookbehind that excludes its own character class, so a match can only start at the
 * beginning of a run, and every other quantifier is bounded.
 */

/** One regex rule: the text of the named `secret` group(s) is replaced, the rest of the match kept. */
export interface SecretRule {
  /** Placeholder kind, e.g. `openai_key`. */
  readonly kind: string;
  /** Global, `d` (indices) flag; names the secret span with one of `secretGroups`. */
  readonly pattern: RegExp;
  /** Named groups that may hold the secret; the first one that matched is replaced. Default `['secret']`. */
  readonly secretGroups?: readonly string[];
  /** Heuristic veto: return false to keep this match unchanged. */
  readonly accept?: (secret: string, groups: Readonly<Record<string, string | undefined>>) => boolean;
  /**
   * Literals every match contains: when the text holds none of them the pattern cannot match and is not run.
   * Most text has no `GOCSPX-` or `npm_` in it, and scanning for each token format was most of harvest's time.
   */
  readonly hints?: readonly string[];
  /**
   * A cheap regex every match must also contain (a necessary condition, never a looser pattern): tested first, so
   * prose without `key: "value"` or `NAME=value` shapes skips the expensive named-group pattern.
   */
  readonly precheck?: RegExp;
  /**
   * Lower-case literals one of which the lower-cased text must contain (a case-insensitive hint): the text is
   * lower-cased once for every rule, where a case-insensitive regex precheck per rule cost a slow scan each.
   */
  readonly lowerHints?: readonly string[];
}

// Secret-looking name segments (after splitting on `_`, `-`, `.` and camelCase).
const SECRET_WORDS = new Set([
  'SECRET', 'SECRETS', 'TOKEN', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'PWD',
  'CREDENTIALS', 'CREDENTIAL', 'CREDS', 'AUTH', 'AUTHORIZATION', 'APIKEY', 'APITOKEN', 'ACCESSTOKEN',
  'AUTHTOKEN', 'REFRESHTOKEN', 'PRIVATEKEY', 'SECRETKEY', 'ACCESSKEY', 'CLIENTSECRET', 'SESSIONTOKEN',
]);
// A last segment that makes the value a setting about secrets rather than a secret (TOKEN_LIMIT=4000).
const NON_SECRET_SUFFIXES = new Set([
  'LIMIT', 'LIMITS', 'COUNT', 'MAX', 'MIN', 'SIZE', 'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRES', 'EXPIRE',
  'EXPIRATION', 'LIFETIME', 'AGE', 'URL', 'URI', 'URLS', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'PATH',
  'FILE', 'FILENAME', 'DIR', 'FOLDER', 'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'REQUIRED', 'TYPE',
  'MODE', 'LENGTH', 'LEN', 'HEADER', 'NAME', 'USER', 'USERNAME', 'LOGIN', 'EMAIL', 'ID', 'REGION',
  'VERSION', 'PROVIDER', 'METHOD', 'SCOPE', 'SCOPES', 'ISSUER', 'AUDIENCE', 'STRATEGY', 'FORMAT', 'KIND',
  'LEVEL', 'DOMAIN', 'PREFIX', 'FIELD', 'PARAM', 'POLICY', 'PROMPT', 'LABEL', 'MESSAGE', 'ENV', 'FLAG',
  'BUDGET', 'USAGE', 'RATE', 'RETRIES', 'ATTEMPTS', 'STORE', 'LOCATION', 'HINT', 'RESET', 'CHANGED',
]);
// Words that make a count, not a credential: MAX_TOKENS, NUM_TOKENS, TOKENS_PER_MINUTE.
const NON_SECRET_WORDS = new Set(['TOKENS', 'MAX', 'MIN', 'NUM', 'TOTAL', 'TOKENIZER', 'TOKENIZERS']);
// `<X>_KEY` is a secret unless X says it is a lookup key (SORT_KEY, PRIMARY_KEY).
const NON_SECRET_KEY_QUALIFIERS = new Set([
  'PRIMARY', 'SORT', 'PARTITION', 'CACHE', 'FOREIGN', 'PUBLIC', 'PUBLISHABLE', 'IDEMPOTENCY', 'HOT',
  'SHORTCUT', 'ROUTING', 'DEDUP', 'LOOKUP', 'INDEX', 'GROUP', 'SSH', 'GPG', 'PGP', 'REGISTRY', 'STORAGE',
]);

/** Split an identifier into upper-case words: `clientSecret` -> CLIENT, SECRET. */
function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s.length > 0)
    .map((s) => s.toUpperCase());
}

/** True when a variable/field name says its value is a credential (API_KEY, clientSecret, DB_PASSWORD). */
export function looksLikeSecretName(name: string): boolean {
  // Every secret word below contains one of these; most names fail here without being split.
  if (!/pass|pwd|secret|token|key|auth|cred/i.test(name)) return false;
  const words = splitName(name);
  const last = words[words.length - 1];
  if (last === undefined || NON_SECRET_SUFFIXES.has(last)) return false;
  if (words.some((w) => NON_SECRET_WORDS.has(w))) return false;
  // `PWD` alone is the shell's working directory.
  if (words.length === 1 && (last === 'PWD' || last === 'KEY')) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  if (last === 'KEY') {
    const qualifier = words[words.length - 2];
    return qualifier !== undefined && !NON_SECRET_KEY_QUALIFIERS.has(qualifier);
  }
  return false;
}

const INERT_WORDS = new Set([
  'true', 'false', 'yes', 'no', 'on', 'off', 'null', 'nil', 'none', 'undefined', 'required', 'optional',
  'string', 'boolean', 'number', 'int', 'str', 'bool', 'redacted', 'hidden', 'secret', 'password', 'token',
]);

/** True for values that are not secrets even under a secret name: empty, `$VAR`, `<placeholder>`, `***`. */
export function isInertValue(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[$%]/.test(v) || v.startsWith('{{') || (v.startsWith('<') && v.endsWith('>'))) return true;
  if (v.includes('[REDACTED:')) return true;
  if (INERT_WORDS.has(v.toLowerCase())) return true;
  // A file path names where the secret lives (GOOGLE_APPLICATION_CREDENTIALS=/home/a/sa.json), not the secret.
  if (/^(?:~?\/|\.\.?\/|[A-Za-z]:\\)(?:[\w.@-]+[\\/]){1,64}[\w.@-]*$/.test(v)) return true;
  // One repeated character (xxxxxxxx, ********, ....) is a mask, not a secret.
  if (/^(.)\1*$/.test(v)) return true;
  if (/your[-_ ]?(?:own[-_ ]?)?(?:api[-_ ]?)?(?:key|token|secret|password)/i.test(v)) return true;
  return /^(?:process\.env|os\.environ|env\.|secrets\.|import\.meta\.env)/.test(v);
}

/** True when an unquoted inline value is code (an identifier, a property path, a call), not a literal. */
function looksLikeCodeReference(value: string): boolean {
  return /^[A-Za-z_][A-Za-z_.]*$/.test(value) || /[([]/.test(value);
}

/** True when a token body has both letters and digits, as random keys almost always do. */
function hasLettersAndDigits(value: string): boolean {
  return /[A-Za-z]/.test(value) && /[0-9]/.test(value);
}

const T = 'A-Za-z0-9_\\-'; // token characters shared by most provider formats
// A token may also follow an escape (`\\n` in JSON-escaped text) or a percent-encoded byte (`%3D`).
const ESCAPED = '(?<=\\\\[nrt]|%[0-9A-Fa-f]{2})';
const before = `(?:(?<![${T}])|${ESCAPED})`;
const after = `(?![${T}])`;

function token(kind: string, body: string, hints: readonly string[], accept?: SecretRule['accept']): SecretRule {
  return { kind, pattern: new RegExp(`${before}(?<secret>${body})${after}`, 'gd'), hints, ...(accept ? { accept } : {}) };
}

const AUTH_SCHEMES = /^(?:bearer|basic|token|digest|bot)$/i;
const SECRET_NAME = '[A-Za-z_][A-Za-z0-9_.-]{0,63}';
const acceptSecretName: SecretRule['accept'] = (secret, g) => looksLikeSecretName(g.name ?? '') && !isInertValue(secret);

/** Provider token formats: distinctive prefixes, so a match is a secret without context. */
export const TOKEN_RULES: readonly SecretRule[] = [
  token('anthropic_key', `sk-ant-[${T}]{20,}`, ['sk-ant-']),
  token('openai_key', `sk-(?:proj-|svcacct-|admin-|None-)?[${T}]{20,}`, ['sk-'], hasLettersAndDigits),
  token('github_token', `github_pat_[A-Za-z0-9_]{22,}`, ['github_pat_']),
  token('github_token', `gh[pousr]_[A-Za-z0-9]{30,}`, ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']),
  token('gitlab_token', `gl(?:pat|dt|rt|ptt|cbt|oas)-[${T}]{20,}`, ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'gloas-']),
  token('slack_token', `xox[abposer]-[A-Za-z0-9-]{10,}`, ['xox'], hasLettersAndDigits),
  token('google_api_key', `AIza[${T}]{35}`, ['AIza']),
  token('google_oauth_secret', `GOCSPX-[${T}]{20,}`, ['GOCSPX-']),
  token('stripe_key', `(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`, ['k_live_', 'k_test_']),
  token('stripe_webhook_secret', `whsec_[A-Za-z0-9+/=]{20,}`, ['whsec_']),
  token('npm_token', `npm_[A-Za-z0-9]{36}`, ['npm_'], hasLettersAndDigits),
  token('huggingface_token', `hf_[A-Za-z0-9]{30,40}`, ['hf_'], (s) => /[a-z]/.test(s) && /[A-Z]/.test(s)),
  {
    kind: 'aws_access_key_id',
    pattern: new RegExp(`(?:(?<![A-Za-z0-9])|${ESCAPED})(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])`, 'dg'),
    hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  },
  {
    kind: 'jwt',
    pattern: new RegExp(`${before}(?<secret>eyJ[${T}]{4,}\\.eyJ[${T}]{4,}\\.[${T}]*)`, 'gd'),
    hints: ['eyJ'],
  },
  {
    kind: 'slack_webhook',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9_-]{6,}(?:\/[A-Za-z0-9_-]{6,}){1,3})/dg,
    hints: ['hooks.slack.com'],
  },
];

/** Secrets recognised by their context: a key name, a header, a URL's userinfo, a CLI flag. */
export const CONTEXT_RULES: readonly SecretRule[] = [
  {
    // scheme://user:pass@host keeps user and host.
    kind: 'url_password',
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/?#@'"<>[\]]{0,256}:(?<secret>[^\s/?#@'"<>]{1,512})@[A-Za-z0-9[]/dg,
    hints: ['@'],
  },
  {
    kind: 'aws_secret_access_key',
    pattern: /(?:aws_?secret_?access_?key|aws_?secret_?key|aws_?secret|secret_?access_?key)["']?[ \t]{0,8}[:=]{1,2}[ \t]{0,8}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/dgi,
    lowerHints: ['secret'],
  },
  {
    kind: 'authorization',
    pattern: /\b(?:proxy-)?authorization["']?[ \t]{0,8}[:=][ \t]{0,8}["']?(?:(?:bearer|basic|token|digest|bot)[ \t]+)?(?<secret>[A-Za-z0-9._~+/=-]{6,})/dgi,
    lowerHints: ['authorization'],
    accept: (s) => !isInertValue(s) && !AUTH_SCHEMES.test(s) && (hasLettersAndDigits(s) || s.length >= 20),
  },
  {
    kind: 'bearer_token',
    pattern: /(?<![A-Za-z0-9_-])(?:bearer|basic)[ \t]+(?<secret>[A-Za-z0-9._~+/-]{20,}=*)(?![A-Za-z0-9._~+/=-])/dgi,
    accept: hasLettersAndDigits,
    lowerHints: ['bearer', 'basic'],
  },
  {
    kind: 'api_key_header',
    pattern: /\b(?:x-api-key|api-key|x-auth-token|x-access-token|private-token|x-goog-api-key)["']?[ \t]{0,8}:[ \t]{0,8}["']?(?<secret>[A-Za-z0-9._~+/=-]{8,})/dgi,
    accept: (s) => !isInertValue(s),
    lowerHints: ['api-key', 'auth-token', 'access-token', 'private-token'],
  },
  {
    // curl -u user:pass keeps the user.
    kind: 'basic_auth',
    pattern: /[ \t](?:-u|--user)[ \t]+(?<=\bcurl\b[^\n]{0,300})["']?[^\s:'"]{1,128}:(?<secret>[^\s'"]{1,256})/dg,
    accept: (s) => !isInertValue(s),
    hints: ['curl'],
  },
  {
    kind: 'cli_secret',
    pattern: /(?<![A-Za-z0-9_-])--(?:password|passwd|pass|token|api-key|apikey|secret|client-secret|auth-token|access-token)(?:=|[ \t]+)(?:"(?<dq>[^"\r\n]{1,512})"|'(?<sq>[^'\r\n]{1,512})'|(?<secret>[^\s'"-][^\s'"]{0,511}))/dg,
    secretGroups: ['dq', 'sq', 'secret'],
    accept: (s) => !isInertValue(s),
    hints: ['--'],
  },
  {
    kind: 'netrc_password',
    pattern: /\bmachine[ \t]+\S{1,256}[ \t]+login[ \t]+\S{1,256}[ \t]+password[ \t]+(?<secret>\S{1,256})/dg,
    hints: ['machine'],
  },
  {
    // .env lines: NAME=value, with or without `export` and quotes.
    kind: 'env_secret',
    pattern: new RegExp(
      `^[ \\t]*(?:export[ \\t]+)?(?<name>[A-Za-z_][A-Za-z0-9_.]{0,127})[ \\t]*=[ \\t]*` +
        `(?:"(?<dq>[^"\\r\\n]{1,2000})"|'(?<sq>[^'\\r\\n]{1,2000})'|(?<secret>[^\\s'"#][^\\s]{0,2000}))`,
      'gmd',
    ),
    secretGroups: ['dq', 'sq', 'secret'],
    accept: acceptSecretName,
    hints: ['='],
  },
  {
    // YAML lines with an unquoted single-token value: `api_key: abc123`, `- password: x`.
    kind: 'secret_field',
    pattern: new RegExp(
      `^[ \\t]*(?:-[ \\t]+)?(?<q>["']?)(?<name>${SECRET_NAME})\\k<q>[ \\t]*:[ \\t]+` +
        `(?<secret>[^\\s'"#|>&*!{\\[][^\\s]{0,2000})(?=[ \\t\\r]*(?:#|$))`,
      'gmd',
    ),
    accept: acceptSecretName,
    // Two literal searches instead of the regex `/:[ \t]/`: on the 59 M characters a bench harvest keeps, 10 ms
    // against 90 (V8 searches a literal far faster than it runs a character class at every position).
    hints: [': ', ':\t'],
  },
  {
    // Quoted values anywhere: JSON `"password": "x"`, code `token = 'x'`, `$env:API_KEY = "x"`.
    kind: 'secret_field',
    pattern: new RegExp(
      `(?<![A-Za-z0-9_.$-])(?<q>["']?)(?<name>${SECRET_NAME})\\k<q>[ \\t]{0,8}[:=]{1,2}[ \\t]{0,8}` +
        `(?:"(?<dq>(?:[^"\\\\\\r\\n]|\\\\.){1,2000})"|'(?<sq>(?:[^'\\\\\\r\\n]|\\\\.){1,2000})')`,
      'gd',
    ),
    secretGroups: ['dq', 'sq'],
    accept: acceptSecretName,
    precheck: /[:=][ \t]{0,8}["']/,
  },
  {
    // Inline NAME=value: shell prefixes, `docker -e`, query strings, connection strings. `=` only as base64
    // padding, so a rejected `A=B=C` match ends at the next `=` and the pair after it gets its own attempt.
    kind: 'env_secret',
    pattern: /(?<![A-Za-z0-9_.$/+-])(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,63})=(?<secret>[^\s'"&;,)}\]<>`|=]{1,2000}={0,3})/dg,
    accept: (secret, g) => !looksLikeCodeReference(secret) && acceptSecretName(secret, g),
    hints: ['='],
  },
];
