// cld 2.10.1 (npm; Node bindings of Google's CLD2, Apache-2.0): one JSON line per
// input line.
//
//   node cld.mjs --tools DIR < TEXTS > JSONL
//
// cld.detect(text, {bestEffort: true}) (plain text, no hints). bestEffort makes
// CLD2 answer for short texts too, where it would otherwise say "unknown"; its
// `reliable` flag still tells whether CLD2 trusts the answer. CLD2 gives up to
// three languages with the percentage of the text's bytes in each, and no
// probability. Output per line:
//   {"langs": [[CODE, PERCENT], ...], "reliable": BOOL}   CLD2's order (best first)
//   {"langs": [], "error": MESSAGE}   CLD2 found no language ("Failed to identify
//                                     language") or the text is empty
import { readLines, option, requireTool, writer } from './lines.mjs'

const tools = option('tools')
if (!tools) { console.error('cld.mjs: --tools DIR is required'); process.exit(2) }
const cld = requireTool(tools, 'cld')
const out = writer()
for (const text of readLines()) {
    try {
        const r = await cld.detect(text, { bestEffort: true })
        out.put({ langs: r.languages.map((l) => [l.code, l.percent]), reliable: r.reliable })
    } catch (e) {
        out.put({ langs: [], error: String(e && e.message || e) })
    }
}
out.end()
