/**
 * `npm run bench`: every figure of issue 6, each script in a process of its own (so that no figure inherits
 * another's heap, JIT state or sockets), then one table of measured against target. Figures can be picked by
 * name: `npm run bench -- validation cold-start`. Never part of `npm test`: timings are not verdicts.
 * @module
 */
import { join } from 'node:path'
import { BENCH_DIR, runNode, type ChildRun, type Figure } from './figure.js'

const SCRIPTS = ['cold-start', 'validation', 'server-load', 'property-throughput', 'demo-run', 'hardening',
  'server-memory', 'variants-loaded']
/** Bound on one script, its repetitions and (the first time) the baseline's build included. */
const SCRIPT_TIMEOUT_MS = 20 * 60_000

const chosen = process.argv.slice(2)
const unknown = chosen.filter((name) => !SCRIPTS.includes(name))
if (unknown.length > 0) {
  process.stderr.write(`unknown figure ${unknown.join(', ')}; choose from ${SCRIPTS.join(', ')}\n`)
  process.exit(2)
}

const figures: Figure[] = []
const failures: string[] = []
for (const script of chosen.length > 0 ? chosen : SCRIPTS) {
  process.stderr.write(`measuring ${script}…\n`)
  let run: ChildRun
  try {
    run = await runNode([join(BENCH_DIR, `${script}.js`)], {}, SCRIPT_TIMEOUT_MS)
  } catch (e) {
    failures.push(`${script}: ${(e as Error).message.split('\n')[0]}`)
    continue
  }
  const last = run.stdout.trim().split('\n').at(-1) ?? ''
  if (run.exitCode !== 0 || !last.startsWith('[')) {
    failures.push(`${script}: exited ${run.exitCode}: ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`)
    continue
  }
  figures.push(...(JSON.parse(last) as Figure[]))
}

const rows = [
  ['figure', 'measured', 'target', 'met', 'against a same-run baseline'],
  ...figures.map((f) => [f.name, `${f.measured} ${f.unit}`, f.target, f.met ? 'yes' : 'NO', f.versus]),
]
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()
const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '']
for (const f of figures) out.push(`${f.name}: ${f.how}`)
for (const failure of failures) out.push(`FAILED ${failure}`)
process.stdout.write(out.join('\n') + '\n')
process.exitCode = failures.length > 0 ? 1 : 0
