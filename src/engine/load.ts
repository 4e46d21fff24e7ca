/**
 * Finds and imports the suites' check modules: `suites/<suite>/**\/*.check.js` next to the compiled engine in
 * the installed package (`dist/`), or the `.ts` sources when the engine itself runs from source (the project's
 * own vitest run). Importing a module registers its checks.
 * @module
 */
import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join, relative } from 'node:path'
import { OobConformanceError } from '../errors.js'
import { registeredChecks, type CheckDefinition } from './check.js'
import { registeredGraders, type ExchangeGrader } from './exchange-grader.js'

export const SUITES = ['schema', 'flows', 'properties', 'security', 'pact'] as const
export type Suite = (typeof SUITES)[number]

const here = fileURLToPath(import.meta.url)
/** `.ts` when this module runs from source, `.js` from `dist/`. */
const extension = here.endsWith('.ts') ? '.ts' : '.js'
const suitesRoot = fileURLToPath(new URL('../../suites/', import.meta.url))

export function isSuite(name: string): name is Suite {
  return (SUITES as readonly string[]).includes(name)
}

async function checkModules(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(`.check${extension}`))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/**
 * Imports the check modules of `suites` and returns what they registered. A suite with no check module (an
 * install without the compiled suites) or a module that fails to load is a usage error: no run may pass with
 * checks missing.
 */
export async function loadSuites(suites: readonly Suite[]): Promise<{ checks: CheckDefinition[]; graders: ExchangeGrader[] }> {
  for (const suite of suites) {
    const dir = join(suitesRoot, suite)
    const modules = await checkModules(dir).catch(() => [])
    if (modules.length === 0) {
      throw new OobConformanceError('ERR_USAGE',
        `suite ${suite}: no check modules (*.check${extension}) under ${dir}; the installation is incomplete — reinstall oob-conformance`)
    }
    for (const file of modules) {
      try {
        await import(pathToFileURL(file).href)
      } catch (e) {
        throw new OobConformanceError('ERR_USAGE',
          `suite ${suite}: ${relative(suitesRoot, file)} could not be loaded: ${(e as Error).message}`, { cause: e })
      }
    }
  }
  const wanted = new Set<string>(suites)
  return {
    checks: registeredChecks().filter((c) => wanted.has(c.suite)),
    graders: wanted.has('schema') ? [...registeredGraders()] : [],
  }
}
