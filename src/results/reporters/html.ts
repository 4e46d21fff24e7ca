/**
 * `report.html`: one self-contained page, readable offline and without JavaScript. Everything that came from
 * the run is escaped, and a Content-Security-Policy forbids scripts and every fetch as a second line of
 * defence.
 * @module
 */
import type { CheckResult, Exchange, RequirementStatus, RunResults } from '../model.js'
import {
  byAttention, checkCounts, escapeAttribute as attr, escapeMarkup as esc, requirementCounts,
  requirementStatuses, verdict, type ReportOptions,
} from './common.js'

const css = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--code:#f6f8fa;
--passed:#1a7f37;--failed:#cf222e;--warning:#9a6700;--skipped:#59636e;--untested:#8250df}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;
--code:#151b23;--passed:#3fb950;--failed:#f85149;--warning:#d29922;--skipped:#9198a1;--untested:#ab7df8}}
body{margin:0 auto;max-width:72rem;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}
h4{margin:1rem 0 .25rem;font-size:.95rem}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--code);padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;
border-radius:6px;margin:.25rem 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;
border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--muted);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.75rem 0}
dt{color:var(--muted)}dd{margin:0}
.status{font-weight:600;text-transform:uppercase;font-size:.8rem;letter-spacing:.03em}
.passed{color:var(--passed)}.failed{color:var(--failed)}.warning{color:var(--warning)}
.skipped{color:var(--skipped)}.untested{color:var(--untested)}
.verdict{font-size:1.2rem;font-weight:700;margin:.5rem 0}
details.check{border:1px solid var(--line);border-left:4px solid var(--skipped);border-radius:6px;
margin:.5rem 0;padding:.4rem .8rem}
details.check.passed{border-left-color:var(--passed)}details.check.failed{border-left-color:var(--failed)}
details.check.warning{border-left-color:var(--warning)}
details.check>*{color:var(--fg)}summary{cursor:pointer}details details{margin:.4rem 0 .4rem 1rem}
.message{white-space:pre-wrap}.muted{color:var(--muted)}
`.trim()

export function renderHtml(results: RunResults, opts: ReportOptions = {}): string {
  const v = verdict(results, opts)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>oob-conformance: ${esc(v.word)} · ${esc(results.target)}</title>
<style>${css}</style>
</head>
<body>
<header>
<h1>oob-conformance report</h1>
<p class="verdict ${v.status}">${esc(v.word)}</p>
<p>${esc(v.counts)}</p>
<dl>
<dt>target</dt><dd><code>${esc(results.target)}</code></dd>
<dt>profile</dt><dd>${esc(results.profile)}</dd>
<dt>seed</dt><dd><code>${results.seed}</code></dd>
<dt>started</dt><dd>${esc(results.startedAt)}</dd>
<dt>duration</dt><dd>${(results.durationMs / 1000).toFixed(1)} s</dd>
<dt>tool</dt><dd>${esc(`${results.tool.name} ${results.tool.version}`)}</dd>
</dl>
${countsTable(results)}
</header>
${notes(opts.notes ?? [])}
<main>
<h2>Requirements</h2>
${requirementsTable(results)}
<h2>Checks</h2>
${byAttention(results.checks).map(check).join('\n')}
</main>
</body>
</html>
`
}

function countsTable(results: RunResults): string {
  const checks = checkCounts(results)
  const requirements = requirementCounts(results)
  const row = (cells: (s: RequirementStatus) => string) => requirementStatuses.map(cells).join('')
  const cell = (n: number | undefined) => `<td class="n">${n ?? ''}</td>`
  return `<table>
<tr><th></th>${row((s) => `<th class="${s}">${s}</th>`)}</tr>
<tr><th>checks</th>${row((s) => cell(s === 'untested' ? undefined : checks[s]))}</tr>
<tr><th>requirements</th>${row((s) => cell(requirements[s]))}</tr>
</table>`
}

function notes(list: string[]): string {
  if (list.length === 0) return ''
  const items = list.map((n) => `<li>${esc(n)}</li>`).join('\n')
  return `<section>\n<h2>Notes</h2>\n<ul>\n${items}\n</ul>\n</section>`
}

function requirementsTable(results: RunResults): string {
  const rows = results.requirements.map((r) => {
    const links = r.checks
      .map((id) => `<a href="#${attr(anchor(id))}"><code>${esc(id)}</code></a>`)
      .join('<br>')
    return `<tr><td><code>${esc(r.id)}</code></td><td>${esc(r.level)}</td>` +
      `<td class="status ${r.status}">${r.status}</td><td>${esc(r.title ?? '')}</td><td>${links}</td></tr>`
  })
  return `<table>\n<tr><th>id</th><th>level</th><th>status</th><th>requirement</th><th>checks</th></tr>\n` +
    `${rows.join('\n')}\n</table>`
}

function anchor(checkId: string): string {
  return `check-${checkId}`
}

function check(c: CheckResult): string {
  const parts = [
    `<details class="check ${c.status}" id="${attr(anchor(c.id))}"${c.status === 'failed' ? ' open' : ''}>`,
    `<summary><span class="status ${c.status}">${c.status}</span> <code>${esc(c.id)}</code> ` +
      `${esc(c.title)}</summary>`,
    `<p class="message">${esc(c.message)}</p>`,
    `<p class="muted">${esc(c.level)} · ${c.requirements.map((id) => `<code>${esc(id)}</code>`).join(', ')}` +
      ` · ${c.durationMs} ms</p>`,
  ]
  if (c.expectedFailure) {
    const until = c.expectedFailure.expires ? ` (until ${c.expectedFailure.expires})` : ''
    parts.push(`<p>Expected failure: ${esc(c.expectedFailure.reason + until)}</p>`)
  }
  if (c.reproduction !== null) parts.push('<h4>Reproduction</h4>', `<pre>${esc(c.reproduction)}</pre>`)
  if (c.transcript?.length) {
    parts.push(`<details><summary>Transcript (${c.transcript.length} exchange` +
      `${c.transcript.length === 1 ? '' : 's'})</summary>`, ...c.transcript.map(exchange), '</details>')
  }
  parts.push('</details>')
  return parts.join('\n')
}

function exchange(e: Exchange): string {
  const outcome = e.response ? String(e.response.status) : `no response: ${e.error ?? 'unknown'}`
  const parts = [
    `<details><summary><code>${esc(`${e.request.method} ${e.request.url}`)}</code> → ${esc(outcome)} ` +
      `<span class="muted">(${e.durationMs} ms, ${esc(e.startedAt)})</span></summary>`,
    '<h4>Request</h4>',
    `<pre>${esc(message(e.request.headers, e.request.body))}</pre>`,
  ]
  if (e.response) {
    const truncated = e.response.truncated ? ' <span class="muted">(body truncated)</span>' : ''
    const text = message(e.response.headers, e.response.body)
    parts.push(`<h4>Response${truncated}</h4>`, `<pre>${esc(text)}</pre>`)
  }
  parts.push('</details>')
  return parts.join('\n')
}

/** Headers, a blank line, then the body, with JSON bodies pretty-printed. */
function message(headers: Record<string, string>, body: string | undefined): string {
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\n')
  return [head, body === undefined ? '' : pretty(body)].filter((part) => part !== '').join('\n\n')
}

/**
 * Pretty-printed only when that loses nothing: a body with duplicate keys, `1.0` or escapes written
 * differently would not survive a parse and re-serialise, and those are exactly what a reader may need to
 * see.
 */
function pretty(body: string): string {
  try {
    const value: unknown = JSON.parse(body)
    return JSON.stringify(value) === body.trim() && typeof value === 'object' && value !== null
      ? JSON.stringify(value, null, 2)
      : body
  } catch {
    return body
  }
}
