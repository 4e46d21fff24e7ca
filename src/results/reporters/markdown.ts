/**
 * `summary.md`: a pull-request comment. Verdict first, then what failed with its reproduction, then warnings
 * and skips; the full detail lives in report.html. GitHub rejects comments over 65,536 characters, so the
 * summary stops, on a block boundary, before that.
 * @module
 */
import type { CheckResult, RunResults } from '../model.js'
import { checkCounts, requirementCounts, requirementStatuses, verdict, type ReportOptions }
  from './common.js'

export const summaryLimit = 65_000
/** Reproductions longer than this are folded in `<details>`. */
const foldLines = 12
/** A single reproduction may take this much of the comment; report.html has the rest. */
const reproductionLimit = 6_000

export function renderMarkdown(results: RunResults, opts: ReportOptions = {}): string {
  const v = verdict(results, opts)
  const head = [
    `## oob-conformance: ${v.word}`,
    `**${v.word}**: ${v.counts} against ${code(results.target)}, profile ${code(results.profile)}, ` +
      `seed ${code(String(results.seed))}`,
    ...(results.interrupted ? ['**Interrupted**: the run was stopped before every check finished; the checks ' +
      'that did not finish are skipped, and the verdict cannot be PASSED.'] : []),
    ...(results.shard ? [`Shard ${results.shard.index}/${results.shard.count} of the checks: ` +
      '`oob-conformance merge-reports` joins the shards into one report.'] : []),
    countsTable(results),
  ]
  const blocks = [...failedBlocks(results), ...notExercisedBlocks(results), ...warningBlocks(results),
    ...skippedBlocks(results)]
  const notes = opts.notes ?? []
  if (notes.length > 0) blocks.push(...section('Notes', [notes.map((n) => `- ${inline(n)}`).join('\n')]))
  const footer = '---\nFull detail, with every request and response: `report.html` in the report directory.'
  return fit(head.join('\n\n'), blocks, footer)
}

/** Adds whole blocks while they fit, so no fence or `<details>` is ever left open by the cut. */
function fit(head: string, blocks: string[], footer: string): string {
  // Room kept for the truncation note and the separators around it.
  const budget = summaryLimit - footer.length - 200
  let out = head
  for (const [i, block] of blocks.entries()) {
    if (out.length + block.length + 2 > budget) {
      const left = blocks.length - i
      const items = left === 1 ? '1 more item is' : `${left} more items are`
      const note = `**Summary truncated**: ${items} in \`report.html\`.`
      return [out, note, footer].join('\n\n') + '\n'
    }
    out += '\n\n' + block
  }
  return `${out}\n\n${footer}\n`
}

function countsTable(results: RunResults): string {
  const checks = checkCounts(results)
  const requirements = requirementCounts(results)
  return [
    `| | ${requirementStatuses.join(' | ')} |`,
    `|---|${requirementStatuses.map(() => '---:').join('|')}|`,
    `| checks | ${requirementStatuses.map((s) => (s === 'untested' ? '' : String(checks[s]))).join(' | ')} |`,
    `| requirements | ${requirementStatuses.map((s) => String(requirements[s])).join(' | ')} |`,
  ].join('\n')
}

/** The MUSTs an incomplete run did not exercise, each with why: what to give the next run. */
function notExercisedBlocks(results: RunResults): string[] {
  if (results.verdict !== 'incomplete') return []
  const missing = results.completeness.notExercised
  const list = missing.map((r) => `- ${code(r.id)}: ${inline(r.reason)}`).join('\n')
  return section(`MUST requirements not exercised (${missing.length})`, [list])
}

function failedBlocks(results: RunResults): string[] {
  const checks = new Map(results.checks.map((c) => [c.id, c]))
  const shown = new Set<string>()
  const blocks: string[] = []
  for (const r of results.requirements.filter((r) => r.status === 'failed')) {
    const failing = r.checks.flatMap((id) => checks.get(id)?.status === 'failed' ? [checks.get(id)!] : [])
    const lines = [
      `#### ${code(r.id)} (${r.level})${r.title ? ` ${inline(r.title)}` : ''}`,
      `Failing checks: ${failing.map((c) => code(c.id)).join(', ')}`,
    ]
    for (const c of failing) {
      lines.push(shown.has(c.id) ? `- ${code(c.id)}: see above` : checkDetail(c))
      shown.add(c.id)
    }
    blocks.push(lines.join('\n\n'))
  }
  // A failed check covering no requirement of this run's side would otherwise not appear at all.
  const others = results.checks.filter((c) => c.status === 'failed' && !shown.has(c.id))
  return [
    ...section('Failed requirements', blocks),
    ...section('Other failed checks', others.map(checkDetail)),
  ]
}

/** The heading travels with the first block, so a cut never leaves it dangling. */
function section(title: string, blocks: string[]): string[] {
  return blocks.map((b, i) => (i === 0 ? `### ${title}\n\n${b}` : b))
}

function checkDetail(c: CheckResult): string {
  const lines = [`- **${code(c.id)}** ${inline(c.title)}: ${inline(c.message)}`]
  if (c.reproduction !== null) lines.push(reproduction(c.reproduction, c.status === 'failed'))
  return lines.join('\n\n')
}

function reproduction(text: string, open: boolean): string {
  const cut = text.length > reproductionLimit
    ? `${text.slice(0, reproductionLimit)}\n# … cut here; the rest is in report.html`
    : text
  const block = fence(cut, 'sh')
  const lineCount = cut.split('\n').length
  if (open && lineCount <= foldLines) return block
  return `<details><summary>Reproduction (${lineCount} lines)</summary>\n\n${block}\n\n</details>`
}

function warningBlocks(results: RunResults): string[] {
  const warnings = results.checks.filter((c) => c.status === 'warning')
  return section('Warnings', warnings.map((c) => {
    let item = `- **${code(c.id)}** (${c.level}; ${c.requirements.map(code).join(', ')}) ${inline(c.message)}`
    if (c.expectedFailure) {
      const until = c.expectedFailure.expires ? ` (until ${c.expectedFailure.expires})` : ''
      item += `<br>Reason: ${inline(c.expectedFailure.reason)}${until}`
    }
    const lines = [item]
    if (c.reproduction !== null) lines.push('', reproduction(c.reproduction, false))
    return lines.join('\n')
  }))
}

function skippedBlocks(results: RunResults): string[] {
  const skipped = results.checks.filter((c) => c.status === 'skipped')
  if (skipped.length === 0) return []
  return section('Skipped', [skipped.map((c) => `- ${code(c.id)}: ${inline(c.message)}`).join('\n')])
}

/**
 * Free text (server messages, error descriptions) inline: every character Markdown or GitHub's HTML would act
 * on is backslash-escaped (CommonMark §2.4 allows it for any ASCII punctuation), line breaks become `<br>`.
 */
function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>|&~#]/g, '\\$&').replace(/\r?\n/g, '<br>')
}

/** A code span that survives backticks inside (CommonMark §6.1). */
function code(text: string): string {
  const ticks = '`'.repeat(longestRun(text, '`') + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${ticks}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${ticks}`
}

/** A fenced block whose fence is longer than any backtick run inside (CommonMark §4.5). */
function fence(text: string, info: string): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(text, '`') + 1))
  return `${ticks}${info}\n${text}\n${ticks}`
}

function longestRun(text: string, char: string): number {
  let longest = 0
  let run = 0
  for (const c of text) {
    run = c === char ? run + 1 : 0
    longest = Math.max(longest, run)
  }
  return longest
}
