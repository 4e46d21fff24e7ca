/**
 * YAML (and so JSON) input files — `--config`, `--expected-failures` — parsed with the whole location of a
 * syntax error on one line: `FILE:LINE:COL: what is wrong: "the line"`.
 * @module
 */
import { parse, YAMLParseError } from 'yaml'

/** Parses `text`; a syntax error becomes `Error` with a one-line message `source:line:col: reason: "line"`. */
export function parseYamlText(text: string, source: string): unknown {
  try {
    return parse(text)
  } catch (e) {
    if (!(e instanceof YAMLParseError) || e.linePos === undefined) {
      throw new Error(`${source}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`)
    }
    const { line, col } = e.linePos[0]
    // The parser's message repeats the location and the snippet on further lines: keep its first clause.
    const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
    // At the end of the input the line is empty: the last line with text is where the fix goes.
    const lines = text.split(/\r?\n/).slice(0, line)
    const snippet = lines.reverse().find((l) => l.trim() !== '') ?? ''
    throw new Error(`${source}:${line}:${col}: not valid YAML or JSON: ${reason}: ${JSON.stringify(snippet.trim())}`)
  }
}
