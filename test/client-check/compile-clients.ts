import { mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { packageRoot } from '../../src/package-root.js'

/**
 * Compiles the sample clients and what they import to JavaScript in a fresh temporary directory, as
 * `npm run build` does into dist/, so that command tests run the current sources without a build step.
 * Type checking is `tsc`'s job elsewhere: here only the emit matters.
 */
export async function compileSampleClients(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'oob-sample-clients-'))
  const config = ts.getParsedCommandLineOfConfigFile(join(packageRoot, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    },
  })!
  const roots = ['correct.ts', 'faulty.ts', 'variants.ts'].map((f) => join(packageRoot, 'fixtures', 'clients', f))
  const options = { ...config.options, outDir, rootDir: packageRoot, noEmit: false, noCheck: true }
  const program = ts.createProgram(roots, options)
  const { emitSkipped } = program.emit()
  if (emitSkipped) throw new Error('the sample clients did not compile')
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n')
  // The clients' packages (jose, node-forge) resolve from the compiled tree as from dist/.
  await symlink(join(packageRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir')
  return join(outDir, 'fixtures', 'clients')
}
