// report.html: one self-contained page (inline CSS and SVG, no script, no network) from the report model (pure).
import type { NightReport, NightSkillSection } from './night-report.js';
import { formatPercent } from './format.js';
import { nightFacts, signedPts, skillView, type EditView } from './night-view.js';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const h = escapeHtml;

const CSS = `
:root{--fg:#1d232a;--muted:#5b6570;--line:#d9dee3;--bg:#fff;--soft:#f5f7f9;--good:#1a7f37;--bad:#c62828;--warn:#9a6700;--accent:#0969da}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:980px;margin:0 auto;padding:24px 20px 60px}h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:20px 0 6px}.meta{color:var(--muted);margin:0 0 16px}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--soft)}.card .big{font-size:22px;font-weight:600}.up{color:var(--good)}.down{color:var(--bad)}
.warn{border-left:4px solid var(--warn);background:#fff8e6;padding:8px 12px;margin:6px 0;border-radius:4px}.flag{border-left:4px solid var(--bad);background:#fdecec;padding:8px 12px;margin:6px 0;border-radius:4px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}pre{margin:0}.diff{border:1px solid var(--line);border-radius:6px;overflow:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--soft)}
.diff div{padding:0 10px;white-space:pre-wrap}.diff .add{background:#e6ffec;color:#0a3622}.diff .del{background:#ffebe9;color:#67060c}.diff .hunk{color:var(--accent);background:#eef4ff}
.edit{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0}.edit blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid var(--line);white-space:pre-wrap}
.muted{color:var(--muted)}code,.cmd{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}.cmd{display:block;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 12px;white-space:pre}
svg text{font:12px system-ui,sans-serif;fill:var(--muted)}
`;

function diffBlock(diff: string): string {
  if (!diff.trim()) return '<p class="muted">(no change)</p>';
  const rows = diff
    .trimEnd()
    .split('\n')
    .filter((line) => !line.startsWith('===='))
    .map((line) => {
      const cls = line.startsWith('+++') || line.startsWith('---') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
      return `<div${cls ? ` class="${cls}"` : ''}>${h(line) || ' '}</div>`;
    });
  return `<pre class="diff" data-testid="diff">${rows.join('')}</pre>`;
}

/** An inline SVG line chart of the held-out test score across nights: before (dashed) and after. */
export function scoreChart(history: NightSkillSection['history'], title: string): string {
  const W = 640;
  const H = 220;
  const pad = { l: 44, r: 16, t: 16, b: 32 };
  const points = history.filter((p) => p.before !== null || p.after !== null);
  if (points.length === 0) return '<p class="muted">No held-out score yet.</p>';
  const x = (i: number) => pad.l + (points.length === 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => pad.t + (1 - v) * (H - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e7eb"/><text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v * 100}%</text>`).join('');
  const series = (key: 'before' | 'after', colour: string, dash: string) => {
    const pts = points.map((p, i) => (p[key] === null ? null : [x(i), y(p[key]!)] as const)).filter((p) => p !== null);
    const path = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(' ');
    return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>${pts.map((p) => `<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3.5" fill="${colour}"/>`).join('')}`;
  };
  const labels = points.map((p, i) => `<text x="${x(i)}" y="${H - 10}" text-anchor="middle">night ${p.night}</text>`).join('');
  return `<svg data-testid="chart" role="img" aria-label="${h(title)}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px"><title>${h(title)}</title>${grid}${series('before', '#8c959f', '5 4')}${series('after', '#0969da', '')}${labels}<text x="${W - pad.r}" y="${pad.t + 4}" text-anchor="end">— after · - - before</text></svg>`;
}

function editCard(e: EditView, note: string): string {
  const evidence = e.evidence.map((t) => `<li><code>${h(t.id)}</code>${t.prompt ? ` ${h(t.prompt)}` : ''}</li>`).join('');
  return `<div class="edit${e.flagged ? ' flag' : ''}"><div><strong>step ${e.step} · ${h(e.op)}</strong>${e.anchor ? ` at <code>${h(e.anchor.slice(0, 80))}</code>` : ''} <span class="muted">${h(note)}</span></div>
<blockquote>${h(e.content)}</blockquote>${e.flagged ? `<div><strong>Flagged:</strong> ${h(e.flagged)}</div>` : ''}${e.rationale ? `<div><strong>Why:</strong> ${h(e.rationale)}</div>` : ''}
<div class="muted">support ${e.support} (${h(e.sourceType)})</div>${evidence ? `<details><summary>tasks that motivated it (${e.evidence.length})</summary><ul>${evidence}</ul></details>` : ''}</div>`;
}

function skillSection(s: NightSkillSection): string {
  const v = skillView(s);
  const parts = [`<h2 id="skill-${h(s.name)}">${h(s.name)} <span class="muted">(${s.kind === 'managed' ? 'managed learned skill' : 'your skill'})</span></h2>`];
  parts.push(`<p class="muted">Written to ${s.locations.map((l) => `<code>${h(l.path)}</code> (${h(l.agent)})`).join(', ')} · tasks train ${s.tasks.train}, val ${s.tasks.val}, test ${s.tasks.test} · trained on version ${s.baseVersion ?? '-'}</p>`);
  if (!s.run) return [...parts, `<p>Not trained: ${h(s.reason ?? 'not planned')}.</p>`].join('\n');
  parts.push(`<p><strong>${h(v.headline)}</strong><br>Decision: ${h(v.decision)}.</p>`);
  parts.push('<h3>Held-out test score across nights</h3>', scoreChart(s.history, `${s.name}: held-out test score across nights`));
  parts.push('<h3>Skill diff</h3>', diffBlock(s.run.diff));
  parts.push(`<h3>Applied edits (${v.applied.length})</h3>`, v.applied.map((e) => editCard(e, e.contribution !== undefined ? `contribution ${signedPts(e.contribution)}` : '')).join('') || '<p class="muted">(none)</p>');
  parts.push(`<h3>Rejected edits (${v.rejected.length + v.dropped.length})</h3>`, [...v.rejected.map((e) => editCard(e, `rejected by the gate, score change ${signedPts(e.scoreDrop ?? null)}`)), ...v.dropped.map((e) => editCard(e, `dropped by attribution, contribution ${signedPts(e.contribution ?? null)}`))].join('') || '<p class="muted">(none)</p>');
  parts.push(`<h3>Unmatched edits (${v.unmatched.length})</h3>`, v.unmatched.map((e) => editCard(e, e.unmatched ?? 'unmatched')).join('') || '<p class="muted">(none)</p>');
  if (v.perTask.length > 0) {
    const rows = v.perTask.map((t) => `<tr><td><code>${h(t.taskId)}</code></td><td class="num">${formatPercent(t.before)}</td><td class="num">${formatPercent(t.after)}</td><td class="num ${t.delta > 0 ? 'up' : t.delta < 0 ? 'down' : ''}">${signedPts(t.delta)}</td></tr>`).join('');
    parts.push('<h3>Held-out test tasks</h3>', `<table><thead><tr><th>task</th><th>before</th><th>after</th><th>change</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  return parts.join('\n');
}

/** Render report.html. */
export function renderNightHtml(r: NightReport): string {
  const cards = r.skills
    .map((s) => {
      const delta = s.run?.headline.testDelta ?? null;
      const cls = delta === null ? '' : delta > 0 ? 'up' : delta < 0 ? 'down' : '';
      const big = s.run ? `${formatPercent(s.run.headline.baselineTest)} → ${formatPercent(s.run.headline.bestTest)}` : 'not trained';
      return `<div class="card"><div class="muted">${h(s.name)} · held-out test${s.run ? ` (${s.run.splits.test.length} tasks)` : ''}</div><div class="big ${cls}">${h(big)}</div><div>${h(skillView(s).decision)}</div></div>`;
    })
    .join('');
  const flagged = r.skills.flatMap((s) => s.flagged.map((f) => `<div class="flag"><strong>${h(s.name)}, edit ${f.edit + 1}</strong> [${h(f.kinds.join(', '))}]: ${h(f.detail)}<blockquote>${h(f.content)}</blockquote></div>`));
  const body = [
    `<h1>Night ${r.night}${r.dryRun ? ' (dry run)' : ''}</h1>`,
    `<p class="meta">${h(r.startedAt)} to ${h(r.finishedAt)} · ${h(r.trigger)} · status <strong>${h(r.status)}</strong></p>`,
    r.error ? `<div class="flag"><strong>The night failed:</strong> ${h(r.error)}</div>` : '',
    `<div class="cards">${cards || '<p>No skill was planned.</p>'}</div>`,
    r.warnings.length > 0 ? `<h2>Warnings</h2>${r.warnings.map((w) => `<div class="warn">${h(w)}</div>`).join('')}` : '',
    flagged.length > 0 ? `<h2>Flagged edits</h2><p>Read these first; a flagged edit is never adopted automatically.</p>${flagged.join('')}` : '',
    ...r.skills.map(skillSection),
    `<h2>What the night read</h2><ul>${nightFacts(r).map((f) => `<li>${h(f)}</li>`).join('')}</ul>`,
    r.recorded.length > 0 ? `<p class="muted">Versions recorded before training: ${h(r.recorded.join('; '))}</p>` : '',
    `<h2>Next</h2>${r.commands.length > 0 ? `<code class="cmd">${h(r.commands.join('\n'))}</code>` : '<p>Nothing to decide. The next night trains again as more sessions recur.</p>'}`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>skillopt-sleep · night ${r.night}</title><style>${CSS}</style></head>
<body><main>
${body.filter(Boolean).join('\n')}
</main></body></html>
`;
}
