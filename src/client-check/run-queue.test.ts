import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { runQueueWaitMs } from './run-queue.js'

const linux = process.platform === 'linux'

describe('runQueueWaitMs', () => {
  it.runIf(linux)('reads the run-queue wait of a live process, in ms', () => {
    const wait = runQueueWaitMs(process.pid)
    expect(wait).toBeTypeOf('number')
    expect(wait).toBeGreaterThanOrEqual(0)
  })

  it.runIf(linux)('finds the processes a client started, and says nothing once the client is gone', async () => {
    // sh → sleep, the way `npx` or `sh -c` wrap a real client: the kernel names the child the sum reads.
    const shell = spawn('sh', ['-c', 'sleep 5 & wait'], { stdio: 'ignore' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const children = readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim()
    expect(children).toMatch(/^\d+$/)
    expect(runQueueWaitMs(shell.pid!)).toBeGreaterThanOrEqual(0)
    shell.kill('SIGKILL')
    process.kill(Number(children), 'SIGKILL')
    await once(shell, 'exit')
    expect(runQueueWaitMs(shell.pid!)).toBeUndefined()
  })

  it('says nothing of a process that does not exist', () => {
    expect(runQueueWaitMs(2 ** 30)).toBeUndefined()
  })
})
