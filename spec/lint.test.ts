import { describe, expect, it } from 'vitest'
import { runCommand, scriptCommands } from './npm-script.js'

describe('npm run lint:spec', () => {
  it('passes redocly lint on both specs without errors or warnings', async () => {
    const [lint] = scriptCommands('lint:spec')
    const run = await runCommand(lint!)
    expect(run.code, run.output).toBe(0)
    expect(run.output, run.output).not.toMatch(/\d+ warnings?\b/)
    expect(run.output).toMatch(/API descriptions are valid/)
  })
})
