// eld 2.1.0 (npm `eld`, Apache-2.0): one JSON line per input line.
//
//   node eld.mjs --tools DIR [--subset en,de,...] < TEXTS > JSONL
//
// The "large" database (eld/large, static: no download). --subset: eld's own
// setLanguageSubset(), which scores every language and then keeps the subset's
// scores only (languageDetector.js filterLangSubset), i.e. the same as filtering
// the full score list. Output per line:
//   {"own": CODE, "reliable": BOOL, "score": S}   CODE "" when eld has no answer
// (no n-gram of the text scores), S = eld's 0..1 score of CODE (getScores();
// not a probability), reliable = isReliable() (false when fewer than 3 n-grams or
// the top two scores are within 0.01 or the score is < 0.75 x the language's
// average score).
import { readLines, option, importTool, writer } from './lines.mjs'

const tools = option('tools')
if (!tools) { console.error('eld.mjs: --tools DIR is required'); process.exit(2) }
const { eld } = await importTool(tools, 'eld/src/entries/static.large.js')
const subset = option('subset', '')
if (subset) {
    const ok = eld.setLanguageSubset(subset.split(','))
    if (Object.keys(ok).length !== subset.split(',').length) {
        console.error('eld.mjs: eld does not know all of ' + subset + ' (kept ' + Object.values(ok).join(',') + ')')
        process.exit(2)
    }
}
const out = writer()
for (const text of readLines()) {
    const r = eld.detect(text)
    const scores = r.language ? r.getScores() : {}
    out.put({ own: r.language, reliable: r.isReliable(), score: scores[r.language] || 0 })
}
out.end()
