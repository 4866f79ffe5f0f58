// Writes fixtures/personas/<name>/{tasks.jsonl,skill.md}. The task data lives here in compact form so a
// reviewer can read a whole persona on one screen; the JSONL files are what the product loads.
// Run: node scripts/make-personas.mjs
// No task carries a family: these are distinct requests that share instructions, not near-duplicates, so
// they are split by id (families matter for mined tasks, where one family would leak across splits).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PAST = '/^(Added|Fixed|Updated|Removed|Changed|Refactored|Renamed|Bumped|Improved|Moved)\\b/';
const commit = (id, what, answer, term) => ({
  id, prompt: `Write a one-line commit message for this change: ${what}`,
  judge: { kind: 'rule', checks: [{ op: 'not_regex', arg: PAST }, { op: 'not_regex', arg: '/\\.\\s*$/' }, { op: 'contains', arg: term }, { op: 'max_chars', arg: 72 }] },
  simulation: { answer }, tags: ['git'],
});
const prJson = (id, pr, json) => ({
  id, prompt: `Give me the metadata of this pull request as JSON with the keys title, risk and files: ${pr}`,
  judge: { kind: 'rule', checks: [{ op: 'json_valid' }, { op: 'json_has_keys', arg: ['title', 'risk', 'files'] }] },
  simulation: { answer: `The PR "${json.title}" touches ${json.files.join(', ')} and its risk is ${json.risk}.`, json }, tags: ['github'],
});
const tests = (id, what, answer, term) => ({
  id, prompt: `Are the tests for ${what} passing right now?`,
  judge: { kind: 'rule', checks: [{ op: 'tool_called', arg: 'run_tests' }, { op: 'contains', arg: term }] },
  simulation: { answer, tool: 'run_tests' }, tags: ['tests'],
});
const review = (id, code, answer, term) => ({
  id, prompt: `Review this code and list the problems you find:\n${code}`,
  judge: { kind: 'rule', checks: [{ op: 'regex', arg: '/^- /m' }, { op: 'contains', arg: term }, { op: 'no_refusal' }] },
  simulation: { answer }, tags: ['review'],
});

const programmer = [
  commit('prog-01', 'wraps fetch calls in a retry loop with exponential backoff', 'Added retry with exponential backoff to the HTTP client.', 'retry'),
  commit('prog-02', 'fixes an off-by-one error in the pagination cursor', 'Fixed off-by-one error in the pagination cursor.', 'pagination'),
  commit('prog-03', 'renames the config loader module', 'Renamed config loader module to settings.', 'settings'),
  commit('prog-04', 'removes the deprecated v1 auth endpoints', 'Removed deprecated v1 auth endpoints.', 'auth'),
  commit('prog-05', 'bumps the TypeScript version to 5.9', 'Bumped TypeScript to 5.9.', 'TypeScript'),
  commit('prog-06', 'adds a cache for parsed templates', 'Added cache for parsed templates.', 'cache'),
  prJson('prog-07', '#412 "Add rate limiting" changes src/limiter.ts and src/server.ts', { title: 'Add rate limiting', risk: 'medium', files: ['src/limiter.ts', 'src/server.ts'] }),
  prJson('prog-08', '#415 "Fix typo in README" changes README.md', { title: 'Fix typo in README', risk: 'low', files: ['README.md'] }),
  prJson('prog-09', '#420 "Migrate to ESM" changes package.json, tsconfig.json and 40 sources', { title: 'Migrate to ESM', risk: 'high', files: ['package.json', 'tsconfig.json', 'src/'] }),
  prJson('prog-10', '#431 "Drop Node 18" changes .github/workflows/ci.yml', { title: 'Drop Node 18', risk: 'low', files: ['.github/workflows/ci.yml'] }),
  tests('prog-11', 'the tokenizer', 'The tokenizer tests pass: 48 passed, 0 failed.', 'pass'),
  tests('prog-12', 'the date parser', 'Two date parser tests fail on leap years; the rest pass.', 'leap'),
  tests('prog-13', 'the billing module', 'All billing tests pass.', 'billing'),
  review('prog-14', 'function sum(xs) { let t; for (const x of xs) t += x; return t }', 'The accumulator starts undefined, so the sum is NaN. Empty input returns undefined instead of 0.', 'undefined'),
  review('prog-15', 'async function load(p) { try { return JSON.parse(await read(p)) } catch {} }', 'Errors are swallowed silently. A missing file and bad JSON look the same to the caller.', 'swallowed'),
  review('prog-16', 'while (i < items.length) { process(items[i]) }', 'The loop never increments i, so it never terminates. Each pass processes the same item.', 'terminates'),
  commit('prog-17', 'updates the lockfile after a security audit', 'Updated lockfile after security audit.', 'lockfile'),
  tests('prog-18', 'the websocket client', 'The websocket client tests pass after the reconnect fix.', 'reconnect'),
];

const qa = (id, q, answer, checks) => ({
  id, prompt: q, judge: { kind: 'rule', checks }, simulation: { answer }, tags: ['qa'],
});
const summary = (id, topic, answer, term, sources) => ({
  id, prompt: `Summarise what we know about ${topic}.`,
  judge: { kind: 'rule', checks: [{ op: 'heading', arg: 'Summary' }, { op: 'contains', arg: 'Sources:' }, { op: 'contains', arg: term }] },
  simulation: { answer, sources }, tags: ['literature'],
});
const notes = (id, what, answer, term) => ({
  id, prompt: `Give me reading notes on ${what}.`,
  judge: { kind: 'rule', checks: [{ op: 'starts_with', arg: 'TL;DR' }, { op: 'contains', arg: term }] },
  simulation: { answer }, tags: ['notes'],
});
const researcher = [
  qa('res-01', 'When was "Attention Is All You Need" first posted?', 'It was first posted on June 12, 2017.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2017-06-12' }]),
  qa('res-02', 'When did the ImageNet challenge results for AlexNet come out?', 'The results came out on October 13, 2012.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2012-10-13' }]),
  qa('res-03', 'When was BERT released?', 'BERT was released on October 11, 2018.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2018-10-11' }]),
  qa('res-04', 'When was the first GPT paper published?', 'It was published on June 11, 2018.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2018-06-11' }]),
  qa('res-05', 'When was the ResNet paper posted?', 'It was posted on December 10, 2015.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2015-12-10' }]),
  qa('res-06', 'When was the Adam optimizer paper first posted?', 'It was first posted on December 22, 2014.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2014-12-22' }]),
  summary('res-07', 'scaling laws for language models', 'Loss falls as a power law in parameters, data and compute. Larger models are more sample-efficient.', 'power law', ['Kaplan et al. 2020', 'Hoffmann et al. 2022']),
  summary('res-08', 'retrieval-augmented generation', 'Retrieval grounds answers in documents and reduces hallucination on knowledge-heavy tasks.', 'hallucination', ['Lewis et al. 2020']),
  summary('res-09', 'chain-of-thought prompting', 'Asking for intermediate steps improves arithmetic and symbolic reasoning in large models.', 'intermediate steps', ['Wei et al. 2022']),
  summary('res-10', 'mixture-of-experts models', 'Sparse expert routing raises capacity without raising per-token compute.', 'routing', ['Shazeer et al. 2017', 'Fedus et al. 2021']),
  summary('res-11', 'instruction tuning', 'Fine-tuning on many instruction datasets improves zero-shot generalisation.', 'zero-shot', ['Wei et al. 2021', 'Chung et al. 2022']),
  notes('res-12', 'the LoRA paper', 'LoRA freezes the weights and learns low-rank updates. It cuts trainable parameters by orders of magnitude.', 'low-rank'),
  notes('res-13', 'the FlashAttention paper', 'FlashAttention tiles attention to avoid reading the full matrix from memory. It is exact and faster.', 'tiles'),
  notes('res-14', 'the DPO paper', 'DPO optimises preferences directly with a classification loss. No reward model is trained.', 'reward model'),
  notes('res-15', 'the Chinchilla paper', 'Chinchilla shows models were undertrained. Tokens should scale with parameters.', 'undertrained'),
  qa('res-16', 'When was the Transformer-XL paper posted?', 'It was posted on January 9, 2019.', [{ op: 'contains', arg: '<answer>' }, { op: 'contains', arg: '2019-01-09' }]),
  summary('res-17', 'speculative decoding', 'A small draft model proposes tokens that the large model verifies in parallel, cutting latency.', 'draft model', ['Leviathan et al. 2023']),
];

const si = (id, q, answer, must, mustNot) => ({
  id, prompt: q,
  judge: { kind: 'rule', checks: [{ op: 'contains', arg: must }, { op: 'not_contains', arg: mustNot }] },
  simulation: { answer }, tags: ['units'],
});
const metrics = (id, what, json) => ({
  id, prompt: `Report the ${what} as JSON with the keys metric, value and period.`,
  judge: { kind: 'rule', checks: [{ op: 'json_valid' }, { op: 'json_has_keys', arg: ['metric', 'value', 'period'] }] },
  simulation: { answer: `The ${json.metric} was ${json.value} in ${json.period}.`, json }, tags: ['metrics'],
});
const exec = (id, topic, answer, term) => ({
  id, prompt: `Write the executive summary of ${topic} for the leadership update.`,
  judge: { kind: 'rule', checks: [{ op: 'max_chars', arg: 280 }, { op: 'contains', arg: term }, { op: 'no_refusal' }] },
  simulation: { answer }, tags: ['summary'],
});
const longTail = 'We reviewed the data from every region, compared it with the plan and the previous quarter, spoke with the team leads about the drivers behind the numbers, checked the figures against the finance ledger, and noted the open questions that still need an owner before the next review meeting takes place.';
const analyst = [
  si('ana-01', 'How long is the Ridge trail and how much does it climb?', 'The trail is 12 miles long and climbs 3000 feet.', 'km', 'miles'),
  si('ana-02', 'How heavy is the shipping crate?', 'The crate weighs 220 pounds when full.', 'kg', 'pounds'),
  si('ana-03', 'What was the peak temperature in the server room?', 'The peak was 95 °F at noon.', '°C', '°F'),
  si('ana-04', 'How far apart are the two warehouses?', 'They are 48 miles apart by road.', 'km', 'miles'),
  si('ana-05', 'How much fuel did the fleet use last week?', 'The fleet used 1200 gallons last week.', ' L', 'gallons'),
  si('ana-06', 'How tall is the new antenna mast?', 'The mast is 85 feet tall.', ' m', 'feet'),
  metrics('ana-07', 'weekly active users for March', { metric: 'weekly_active_users', value: 18250, period: '2026-03' }),
  metrics('ana-08', 'churn rate for Q2', { metric: 'churn_rate', value: 0.031, period: '2026-Q2' }),
  metrics('ana-09', 'average order value for May', { metric: 'average_order_value', value: 42.7, period: '2026-05' }),
  metrics('ana-10', 'support ticket backlog at month end', { metric: 'ticket_backlog', value: 312, period: '2026-06' }),
  exec('ana-11', 'the Q3 revenue review', `Revenue grew 12 percent on the quarter, led by the enterprise tier. ${longTail}`, 'enterprise'),
  exec('ana-12', 'the hiring plan', `Hiring is on plan with 14 of 16 roles filled. ${longTail}`, '14 of 16'),
  exec('ana-13', 'the cloud cost report', `Cloud costs fell 8 percent after the storage clean-up. ${longTail}`, 'storage'),
  exec('ana-14', 'the customer survey', `Satisfaction rose to 4.4 of 5, with onboarding the top complaint. ${longTail}`, 'onboarding'),
  exec('ana-15', 'the incident review', `Downtime was 37 minutes, caused by an expired certificate. ${longTail}`, 'certificate'),
  si('ana-16', 'How long is the delivery route?', 'The route is 31 miles round trip.', 'km', 'miles'),
  metrics('ana-17', 'conversion rate for April', { metric: 'conversion_rate', value: 0.046, period: '2026-04' }),
];

// The harmful-edit scenario: answers run long, and a careless optimizer is prone to "answer in as few
// words as possible", which would fit the length limit but lose the content every judge also checks.
const harmful = [
  ...analyst.filter((t) => t.tags.includes('summary')).map((t) => ({ ...t, id: t.id.replace('ana', 'harm') })),
  exec('harm-16', 'the security audit', `Two critical findings were closed and one remains open in payments. ${longTail}`, 'payments'),
  exec('harm-17', 'the roadmap change', `The mobile launch moves to October to finish accessibility work. ${longTail}`, 'accessibility'),
  exec('harm-18', 'the vendor renewal', `Renewing the analytics vendor saves 18 percent with a two-year term. ${longTail}`, 'two-year'),
  qa('harm-19', 'What did the on-call engineer change during the incident?', 'The on-call engineer rotated the expired certificate and restarted the gateway pods.', [{ op: 'contains', arg: 'certificate' }, { op: 'contains', arg: 'gateway' }]),
  qa('harm-20', 'Which regions missed the Q3 target?', 'The northern and coastal regions missed the Q3 target by small margins.', [{ op: 'contains', arg: 'northern' }, { op: 'contains', arg: 'coastal' }]),
  qa('harm-21', 'Why did the nightly export fail?', 'The nightly export failed because the disk quota on the reporting host was full.', [{ op: 'contains', arg: 'quota' }, { op: 'contains', arg: 'reporting host' }]),
  qa('harm-22', 'Who owns the billing migration?', 'The platform team owns the billing migration, with finance as reviewer.', [{ op: 'contains', arg: 'platform team' }, { op: 'contains', arg: 'finance' }]),
  qa('harm-23', 'What blocks the data warehouse upgrade?', 'The upgrade is blocked on the legacy ETL jobs that still write to the old schema.', [{ op: 'contains', arg: 'legacy ETL' }, { op: 'contains', arg: 'schema' }]),
  qa('harm-24', 'What changed in the pricing page test?', 'The variant moved the annual plan first and added a monthly comparison table.', [{ op: 'contains', arg: 'annual plan' }, { op: 'contains', arg: 'comparison' }]),
];

const skills = {
  programmer: `---\nname: my-workflow\ndescription: How I like routine engineering chores done.\n---\n# My engineering workflow\n\n## Conventions\n- End every subject line with a period.\n- Keep commit subjects under 72 characters.\n`,
  researcher: `---\nname: research-assistant\ndescription: How I want literature questions answered.\n---\n# Research assistant\n\nAnswer questions about papers accurately.\n`,
  analyst: `---\nname: analyst-reports\ndescription: House style for analytics answers.\n---\n# Analytics answers\n\n## Output\n- Be accurate with numbers.\n`,
  'harmful-edit': `---\nname: update-writer\ndescription: Leadership updates and incident answers.\n---\n# Updates\n\nWrite for busy readers.\n`,
};

// The scenario pins its splits so the length-limited summaries that tempt the harmful edit are in train,
// and val/test hold both kinds of task the harmful edit would break.
const harmfulSplits = { train: [11, 12, 13, 14, 15, 19], val: [16, 17, 20, 21], test: [18, 22, 23, 24] };
for (const task of harmful) {
  const n = Number(task.id.slice(5));
  task.split = Object.entries(harmfulSplits).find(([, ids]) => ids.includes(n))[0];
}

const sets = { programmer, researcher, analyst, 'harmful-edit': harmful };
for (const [name, tasks] of Object.entries(sets)) {
  const dir = join('fixtures', 'personas', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tasks.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
  writeFileSync(join(dir, 'skill.md'), skills[name]);
  console.log(`${name}: ${tasks.length} tasks`);
}
