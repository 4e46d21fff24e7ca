import { describe, expect, it } from 'vitest'
import { runCommand, scriptCommands } from './npm-script.js'

describe('spec/generated/', () => {
  // Each openapi-typescript command of `npm run generate`, re-run with --check: it compares what it would
  // write with the committed file and exits 1 when they differ.
  const commands = scriptCommands('generate').map((c) => [c.join(' '), c] as const)
  it.each(commands)('is up to date: %s', async (_, command) => {
    const run = await runCommand(command, ['--check'])
    expect(run.code, `${run.output}\nspec/generated/ is stale: run npm run generate`).toBe(0)
  })
})
