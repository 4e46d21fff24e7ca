/**
 * The spec tests run the very commands of package.json's `lint:spec` and `generate` scripts, so the tests and
 * the scripts cannot drift apart. Commands run without a shell; their exit code and output are returned.
 * @module
 */

import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The commands of an npm script that chains plain commands with `&&`, each as [bin, ...args]. */
export function scriptCommands(script: string): string[][] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  const text = scripts[script]
  if (text === undefined) throw new Error(`package.json has no script ${script}`)
  return text.split('&&').map((command) => command.trim().split(/\s+/))
}

export async function runCommand([bin, ...args]: string[], extraArgs: string[] = []) {
  return promisify(execFile)(join(root, 'node_modules', '.bin', bin!), [...args, ...extraArgs], { cwd: root })
    .then(({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) =>
      ({ code: e.code, output: e.stdout + e.stderr }))
}
