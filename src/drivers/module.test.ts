import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { operationsOf } from './driver.js'
import { loadDriverModule } from './module.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oob-driver-'))
  writeFileSync(join(dir, 'named.mjs'), [
    'export async function approve(oobCode, options) {',
    '  calls.push(["approve", oobCode, options])',
    '}',
    'export async function otp(oobCode) { return "otp:" + oobCode }',
    'export async function close() {}',
    'export const calls = []',
    'export const version = 1',
  ].join('\n'))
  writeFileSync(join(dir, 'default.mjs'), [
    'export default {',
    '  prefix: "denied:",',
    '  denied: [],',
    '  async deny(oobCode) { this.denied.push(this.prefix + oobCode) },',
    '  async expire() {},',
    '}',
  ].join('\n'))
  writeFileSync(join(dir, 'none.mjs'), 'export const approve = 1\nexport function accept() {}\n')
  writeFileSync(join(dir, 'broken.mjs'), 'export function approve( {\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadDriverModule', () => {
  it('takes the named exports among approve, deny, otp, expire (and close), nothing else', async () => {
    const driver = await loadDriverModule('./named.mjs', dir)
    expect(operationsOf(driver)).toEqual(['approve', 'otp'])
    expect(Object.keys(driver).sort()).toEqual(['approve', 'close', 'otp'])
    expect(await driver.otp!('tx1', {})).toBe('otp:tx1')
  })

  it('passes the engine\'s DriverCall through unchanged: approve receives { bindingCode, check, loginHint }', async () => {
    const driver = await loadDriverModule('./named.mjs', dir)
    const signal = new AbortController().signal
    const call = { bindingCode: '7', check: 'flows/number-challenge', loginHint: 'number@example.test', signal }
    await driver.approve!('tx2', call)
    const mod = await import(join(dir, 'named.mjs'))
    expect(mod.calls).toEqual([['approve', 'tx2', call]])
    expect(mod.calls[0][2]).toBe(call)
  })

  it('takes the operations of a default export object, bound to it', async () => {
    const driver = await loadDriverModule(join(dir, 'default.mjs'))
    expect(operationsOf(driver)).toEqual(['deny', 'expire'])
    await driver.deny!('tx3', {})
    expect((await import(join(dir, 'default.mjs'))).default.denied).toEqual(['denied:tx3'])
  })

  it('a module exporting none of the operations → ERR_CONFIG_INVALID naming them', async () => {
    await expect(loadDriverModule('./none.mjs', dir)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: '--driver ./none.mjs: the module exports none of approve, deny, otp, expire; ' +
        'export at least one',
    })
  })

  it('a path that does not load → ERR_CONFIG_INVALID with the loader\'s reason', async () => {
    await expect(loadDriverModule('./missing.mjs', dir)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: expect.stringMatching(/^--driver \.\/missing\.mjs: cannot load the module: Cannot find /),
    })
    // The loader's wording differs between node and vitest's module runner; the prefix is ours.
    await expect(loadDriverModule('./broken.mjs', dir)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: expect.stringMatching(/^--driver \.\/broken\.mjs: cannot load the module: \S/),
    })
  })
})
