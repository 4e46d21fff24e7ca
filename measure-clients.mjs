// Session measurement (not committed): correct-client variants three runs in a row, with their flags.
import { runClientScenarios } from './dist/src/client-check/index.js'
import { exitCode } from './dist/src/results/rollup.js'
import { CLIENT_VARIANTS } from './dist/fixtures/clients/variants.js'
for (let round = 1; round <= 3; round++) {
  const t0 = performance.now()
  const rows = await Promise.all(CLIENT_VARIANTS.map(async (v) => {
    const { results } = await runClientScenarios(v.client, { ...v.declares, label: v.name })
    const failed = results.checks.filter((c) => c.status === 'failed')
    const warn = results.checks.filter((c) => c.status === 'warning')
    const notJudged = results.checks.filter((c) => c.status === 'skipped' && c.message.startsWith('not judged'))
    return `${v.name.padEnd(20)} exit ${exitCode(results, { strict: false })}  failed ${failed.length} (MUST ${failed.filter((c) => c.level === 'MUST').length})  warnings ${warn.length} [${warn.map((c) => `${c.id}:${c.requirements.join('+')}`).join(' ')}]  not-judged ${notJudged.length} ${notJudged.map((c) => c.message.slice(0, 90)).join(' | ')}`
  }))
  console.log(`round ${round}: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  for (const r of rows) console.log('  ' + r)
}
