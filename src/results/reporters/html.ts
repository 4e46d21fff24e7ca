/**
 * `report.html`: one self-contained page, readable offline and without JavaScript. Everything that came from
 * the run is escaped, and a Content-Security-Policy forbids scripts and every fetch as a second line of
 * defence.
 * @module
 */
import { stepsOf } from '../rollup.js'
import type { CheckResult, Exchange, RequirementResult, RequirementStatus, RunResults } from '../model.js'
import { timelineOf } from '../timeline.js'
import {
  byAttention, checkCounts, escapeAttribute as attr, escapeMarkup as esc, plural, requirementCounts,
  requirementStatuses, verdict, type ReportOptions, type Verdict,
} from './common.js'
import { renderTimeline, timelineCss, timelineLegend } from './timeline-svg.js'

const css = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--code:#f6f8fa;
--passed:#1a7f37;--failed:#cf222e;--warning:#9a6700;--skipped:#59636e;--untested:#8250df}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;
--code:#151b23;--passed:#3fb950;--failed:#f85149;--warning:#d29922;--skipped:#9198a1;--untested:#ab7df8}}
body{margin:0 auto;max-width:72rem;padding:1rem 1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg)}
a{color:inherit}
h1{font-size:1.3rem;margin:0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .25rem}
h4{margin:.75rem 0 .25rem;font-size:.95rem}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--code);padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;
border-radius:6px;margin:.25rem 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;
border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--muted);font-weight:600}
table.counts{width:auto;margin:.5rem 0}table.counts th,table.counts td{padding:.15rem .6rem}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums;min-width:4.5rem}td code{white-space:nowrap}
dl.facts{display:flex;flex-wrap:wrap;gap:0 1.5rem;margin:.25rem 0}dl.facts div{display:flex;gap:.4rem}
dt{color:var(--muted)}dd{margin:0}
.status{font-weight:600;text-transform:uppercase;font-size:.8rem;letter-spacing:.03em}
.passed{color:var(--passed)}.failed{color:var(--failed)}.warning{color:var(--warning)}
.skipped{color:var(--skipped)}.untested{color:var(--untested)}
.verdict{font-size:1.2rem;font-weight:700;margin:.25rem 0 0}.why{margin:0 0 .25rem}
nav.toc{margin:.5rem 0;padding:.4rem .8rem;border:1px solid var(--line);border-radius:6px}
nav.toc a{margin-right:1.2rem}
article.failure{border:1px solid var(--line);border-left:4px solid var(--failed);border-radius:6px;
margin:.75rem 0;padding:.2rem .9rem .6rem}
.broke{margin:.4rem 0}.broke p{margin:.1rem 0}
.grid .area{display:inline-flex;flex-wrap:wrap;gap:3px;margin:0 .9rem .5rem 0;vertical-align:top}
.grid .area-name{font-size:.75rem;color:var(--muted);align-self:center;margin-right:.2rem}
.grid a.cell{font:11px/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-decoration:none;
padding:.2rem .35rem;border-radius:4px;border:1px solid currentColor;
background:color-mix(in srgb,currentColor 14%,transparent)}
details.check{border:1px solid var(--line);border-left:4px solid var(--skipped);border-radius:6px;
margin:.5rem 0;padding:.4rem .8rem}
details.check.passed{border-left-color:var(--passed)}details.check.failed{border-left-color:var(--failed)}
details.check.warning{border-left-color:var(--warning)}
details.check>*{color:var(--fg)}summary{cursor:pointer}details details{margin:.4rem 0 .4rem 1rem}
.message{white-space:pre-wrap}.muted{color:var(--muted)}
${timelineCss}
`.trim()

/** A glyph per status, so the grid does not speak through colour alone. */
const glyphs: Record<RequirementStatus, string> =
  { passed: '✓', failed: '✗', warning: '!', skipped: '–', untested: '?' }

export function renderHtml(results: RunResults, opts: ReportOptions = {}): string {
  const v = verdict(results, opts)
  const failed = results.checks.filter((c) => c.status === 'failed')
  const warnings = results.checks.filter((c) => c.status === 'warning')
  const notJudged = notJudgedRequirements(results)
  const skipped = results.checks.filter((c) => c.status === 'skipped')
  const notesList = opts.notes ?? []
  const unjudged = notJudged.length + skipped.length
  const toc: [id: string, text: string, shown: boolean][] = [
    ['failures', failed.length > 0 ? `Failures (${failed.length})` : 'No failures', true],
    ['notes', `Notes (${notesList.length})`, notesList.length > 0],
    ['grid', 'Requirement grid', true],
    ['warnings', `Warnings (${warnings.length})`, warnings.length > 0],
    ['not-judged', `Not judged and skipped (${unjudged})`, unjudged > 0],
    ['requirements', 'All requirements', true],
    ['checks', 'All checks', true],
  ]
  const links = toc.filter(([, , shown]) => shown).map(([id, text]) => `<a href="#${id}">${esc(text)}</a>`)
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
<p class="why">${why(results, v)}</p>
${results.interrupted ? '<p class="why warning">Interrupted: the run was stopped before every check finished; ' +
  'the reports hold what finished, the rest is skipped.</p>\n' : ''}${results.shard ? `<p class="why">Shard ${
  results.shard.index} of ${results.shard.count}: this report holds only this shard's checks; ` +
  '<code>oob-conformance merge-reports</code> joins the shards into one report.</p>\n' : ''}<p>${esc(v.counts)}</p>
<dl class="facts">
<div><dt>target</dt><dd><code>${esc(results.target)}</code></dd></div>
<div><dt>profile</dt><dd>${esc(results.profile)}</dd></div>
<div><dt>seed</dt><dd><code>${results.seed}</code></dd></div>
<div><dt>started</dt><dd>${esc(results.startedAt)}</dd></div>
<div><dt>duration</dt><dd>${(results.durationMs / 1000).toFixed(1)} s</dd></div>
<div><dt>tool</dt><dd>${esc(`${results.tool.name} ${results.tool.version}`)}</dd></div>
</dl>
${countsTable(results)}
<nav class="toc" aria-label="Sections">${links.join('')}</nav>
</header>
<main>
${failures(results, failed)}
${notes(notesList)}
<section id="grid">
<h2>Requirement grid</h2>
${grid(results.requirements)}
</section>
${warningsSection(warnings)}
${notJudgedSection(notJudged, skipped)}
<section id="requirements">
<h2>All requirements</h2>
${requirementsTable(results)}
</section>
<section id="checks">
<h2>All checks</h2>
${checkList(results.checks)}
</section>
</main>
</body>
</html>
`
}

/** How many requirement ids the verdict's reason names. */
const WHY_IDS = 8

/** The verdict's reason in one line: what failed, what was not exercised, or what passed. */
function why(results: RunResults, v: Verdict): string {
  // A long list would push the failures below the fold: the sections below have them all.
  const ids = (list: { id: string }[]) => list.slice(0, WHY_IDS).map((r) => `<a href="#${attr(rowAnchor(r.id))}">` +
    `<code>${esc(r.id)}</code></a>`).join(', ') + (list.length > WHY_IDS ? ` and ${list.length - WHY_IDS} more` : '')
  const { mustExercised, mustInScope, notExercised } = results.completeness
  const failed = results.requirements.filter((r) => r.status === 'failed')
  switch (v.word) {
    case 'FAILED': {
      const errored = results.checks.filter((c) => c.errored && c.status === 'failed').length
      const parts = [
        ...(failed.length > 0 ? [`${plural(failed.length, 'requirement')} failed: ${ids(failed)}`] : []),
        ...(errored > 0 ? [`${plural(errored, 'check')} could not finish`] : []),
      ]
      return parts.length > 0 ? `${parts.join('; ')}: see Failures.` : 'See Failures.'
    }
    case 'INCOMPLETE':
      return `Nothing failed, but ${plural(notExercised.length, 'MUST requirement')} ` +
        `${notExercised.length === 1 ? 'was' : 'were'} not exercised: ${ids(notExercised)} ` +
        `(${mustExercised} of ${mustInScope} exercised).`
    case 'NOTHING TESTED':
      return 'Every check was skipped: see why under Not judged and skipped.'
    case 'PASSED WITH WARNINGS':
      return 'No MUST failed; a SHOULD failed or a known failure was expected: see Warnings.'
    default:
      return `Every check that ran passed; ${mustExercised} of ${mustInScope} MUST requirements exercised.`
  }
}

function countsTable(results: RunResults): string {
  const checks = checkCounts(results)
  const requirements = requirementCounts(results)
  const row = (cells: (s: RequirementStatus) => string) => requirementStatuses.map(cells).join('')
  const cell = (n: number | undefined) => `<td class="n">${n ?? '–'}</td>`
  return `<table class="counts">
<tr><th></th>${row((s) => `<th class="n ${s}">${s}</th>`)}</tr>
<tr><th scope="row">checks</th>${row((s) => cell(s === 'untested' ? undefined : checks[s]))}</tr>
<tr><th scope="row">requirements</th>${row((s) => cell(requirements[s]))}</tr>
</table>`
}

function notes(list: string[]): string {
  if (list.length === 0) return ''
  const items = list.map((n) => `<li>${esc(n)}</li>`).join('\n')
  return `<section id="notes">\n<h2>Notes</h2>\n<ul>\n${items}\n</ul>\n</section>`
}

/**
 * Each failed check with the requirements it broke, what was expected and received, its timeline and
 * reproduction.
 */
function failures(results: RunResults, failed: CheckResult[]): string {
  if (failed.length === 0) {
    const ran = results.summary.passed + results.summary.warnings
    const warned = results.summary.warnings > 0 ? ' (some with warnings)' : ''
    const text = ran === 0 ? 'No check ran.' : `All ${plural(ran, 'check')} that ran passed${warned}.`
    return `<section id="failures">\n<h2>No failures</h2>\n<p class="passed">${text}</p>\n</section>`
  }
  const requirements = new Map(results.requirements.map((r) => [r.id, r]))
  const articles = failed.map((c) => {
    // An errored check blames no requirement: only its message says what happened.
    const broke = c.errored ? [] : stepsOf(c).filter((s) => s.status === 'failed')
    const steps = broke.map((s) => {
      const r = requirements.get(s.requirement)
      const link = `<a href="#${attr(rowAnchor(s.requirement))}"><code>${esc(s.requirement)}</code></a>`
      return `<div class="broke">\n<p>${link}` +
        `${r ? ` ${esc(r.level)} · ${esc(r.title ?? '')}` : ''}</p>\n<p class="message"><span class="muted">` +
        `Expected and received:</span> ${esc(s.message)}</p>\n</div>`
    })
    const parts = [
      `<article class="failure" id="${attr(`failure-${c.id}`)}">`,
      `<h3><code>${esc(c.id)}</code> ${esc(c.title)}</h3>`,
      ...(steps.length > 0 ? steps : [`<p class="message">${esc(c.message)}</p>`]),
      ...withLegend(timeline(c)),
      ...reproduction(c),
      `<p><a href="#${attr(anchor(c.id))}">Full transcript and details</a></p>`,
      '</article>',
    ]
    return parts.filter((p) => p !== '').join('\n')
  })
  return `<section id="failures">\n<h2>Failures (${failed.length})</h2>\n${articles.join('\n')}\n</section>`
}

function reproduction(c: CheckResult): string[] {
  if (c.reproduction === null) return []
  return ['<h4>Reproduction</h4>', `<pre>${esc(c.reproduction)}</pre>`,
    `<p class="muted">The same script is in <code>reproductions/${esc(c.id)}.sh</code> in the report directory.</p>`]
}

/**
 * Every check, what needs attention first, after the key to their timelines when some have one. Checks that
 * share one transcript (client-check judges each scenario run with several checks) draw its timeline once.
 */
function checkList(checks: CheckResult[]): string {
  const drawnBy = new Map<string, string>()
  const drawn = byAttention(checks).map((c) => {
    const found = c.transcript ? timelineOf(c.transcript) : undefined
    if (found === undefined) return [c, ''] as const
    const key = JSON.stringify(found)
    const first = drawnBy.get(key)
    if (first !== undefined) {
      return [c, `<p>Same requests as <a href="#${attr(anchor(first))}"><code>${esc(first)}</code></a>: its ` +
        'timeline is drawn there.</p>'] as const
    }
    drawnBy.set(key, c.id)
    return [c, renderTimeline(found, c.id)] as const
  })
  const legend = drawnBy.size > 0 ? [timelineLegend] : []
  return [...legend, ...drawn.map(([c, picture]) => check(c, picture))].join('\n')
}

function withLegend(drawn: string): string[] {
  return drawn === '' ? [] : [drawn, timelineLegend]
}

function timeline(c: CheckResult): string {
  const drawn = c.transcript ? timelineOf(c.transcript) : undefined
  return drawn ? renderTimeline(drawn, c.id) : ''
}

/**
 * One cell per requirement, grouped by area: the id up to its third part (`OOB-S-INIT`, `OOB-S-TOKEN`,
 * `OOB-C-SLOW`), in catalogue order. Each cell links to the requirement's row in the full table.
 */
function grid(requirements: RequirementResult[]): string {
  const areas = new Map<string, RequirementResult[]>()
  for (const r of requirements) {
    const area = r.id.split('-').slice(0, 3).join('-')
    areas.set(area, [...(areas.get(area) ?? []), r])
  }
  const groups = [...areas].map(([area, list]) => {
    const cells = list.map((r) => `<a class="cell ${r.status}" href="#${attr(rowAnchor(r.id))}" ` +
      `title="${attr(`${r.id} (${r.level}) ${r.status}${r.title ? `: ${r.title}` : ''}`)}">` +
      `${glyphs[r.status]} ${esc(r.id.split('-').slice(3).join('-') || r.id)}</a>`)
    return `<div class="area" role="group" aria-label="${attr(area)}"><span class="area-name">` +
      `${esc(area.split('-').slice(2).join('-'))}</span>${cells.join('')}</div>`
  })
  const key = requirementStatuses.map((s) => `<span class="${s}">${glyphs[s]} ${s}</span>`).join(' · ')
  return `<div class="grid">\n${groups.join('\n')}\n</div>\n<p class="muted">${key}</p>`
}

function warningsSection(warnings: CheckResult[]): string {
  if (warnings.length === 0) return ''
  const items = warnings.map((c) => {
    const expected = c.expectedFailure ? ` <span class="muted">${expectedFailure(c.expectedFailure)}</span>` : ''
    return `<li><a href="#${attr(anchor(c.id))}"><code>${esc(c.id)}</code></a> ` +
      `${c.requirements.map((id) => `<code>${esc(id)}</code>`).join(', ')}: <span class="message">` +
      `${esc(c.message)}</span>${expected}</li>`
  })
  return `<section id="warnings">\n<h2>Warnings (${warnings.length})</h2>\n<ul>\n${items.join('\n')}\n</ul>\n</section>`
}

function expectedFailure(entry: NonNullable<CheckResult['expectedFailure']>): string {
  return `Expected failure: ${esc(entry.reason + (entry.expires ? ` (until ${entry.expires})` : ''))}`
}

/** Requirements no step could judge (skipped, not exercised) or that no check is meant to judge (untested). */
function notJudgedRequirements(results: RunResults): RequirementResult[] {
  return results.requirements.filter((r) => r.status === 'skipped' || r.status === 'untested')
}

function notJudgedSection(requirements: RequirementResult[], skipped: CheckResult[]): string {
  if (requirements.length + skipped.length === 0) return ''
  const parts = ['<section id="not-judged">',
    `<h2>Not judged and skipped (${requirements.length + skipped.length})</h2>`,
    '<p class="muted">Neither passed nor failed: no step could judge these, for the reason given.</p>']
  if (requirements.length > 0) {
    const rows = requirements.map((r) => `<tr><td><a href="#${attr(rowAnchor(r.id))}"><code>${esc(r.id)}</code></a>` +
      `</td><td>${esc(r.level)}</td><td class="status ${r.status}">${r.status}</td>` +
      `<td class="message">${esc(r.reason ?? (r.status === 'untested' ? 'no check in this run judges it' : ''))}` +
      `</td></tr>`)
    parts.push('<h3>Requirements</h3>', '<table>', '<tr><th>id</th><th>level</th><th>status</th><th>why</th></tr>',
      ...rows, '</table>')
  }
  if (skipped.length > 0) {
    const items = skipped.map((c) => `<li><a href="#${attr(anchor(c.id))}"><code>${esc(c.id)}</code></a>: ` +
      `<span class="message">${esc(c.message)}</span></li>`)
    parts.push('<h3>Skipped checks</h3>', '<ul>', ...items, '</ul>')
  }
  parts.push('</section>')
  return parts.join('\n')
}

function requirementsTable(results: RunResults): string {
  const rows = results.requirements.map((r) => {
    const links = r.checks
      .map((id) => `<a href="#${attr(anchor(id))}"><code>${esc(id)}</code></a>`)
      .join('<br>')
    return `<tr id="${attr(rowAnchor(r.id))}"><td><code>${esc(r.id)}</code></td><td>${esc(r.level)}</td>` +
      `<td class="status ${r.status}">${r.status}</td><td>${esc(r.title ?? '')}</td><td>${links}</td></tr>`
  })
  return `<table>\n<tr><th>id</th><th>level</th><th>status</th><th>requirement</th><th>checks</th></tr>\n` +
    `${rows.join('\n')}\n</table>`
}

function anchor(checkId: string): string {
  return `check-${checkId}`
}

function rowAnchor(requirementId: string): string {
  return `req-${requirementId}`
}

function check(c: CheckResult, picture: string): string {
  const parts = [
    `<details class="check ${c.status}" id="${attr(anchor(c.id))}">`,
    `<summary><span class="status ${c.status}">${c.status}</span> <code>${esc(c.id)}</code> ` +
      `${esc(c.title)}</summary>`,
    `<p class="message">${esc(c.message)}</p>`,
    `<p class="muted">${esc(c.level)} · ${c.requirements.map((id) => `<code>${esc(id)}</code>`).join(', ')}` +
      ` · ${c.durationMs} ms</p>`,
  ]
  if (c.expectedFailure) {
    parts.push(`<p>${expectedFailure(c.expectedFailure)}</p>`)
  }
  if (picture !== '') parts.push('<h4>Polling timeline</h4>', picture)
  parts.push(...reproduction(c))
  if (c.transcript?.length) {
    parts.push(`<details><summary>Transcript (${plural(c.transcript.length, 'exchange')})</summary>`,
      ...c.transcript.map(exchange), '</details>')
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
