// @bluzzi/lingua 1.5.0 (npm; Lingua Rust compiled to WebAssembly, Apache-2.0):
// one JSON line per input line.
//
//   node lingua.mjs --tools DIR [--languages English,German,...] < TEXTS > JSONL
//
// --languages: LanguageDetectorBuilder.fromLanguages(NAMES) (Lingua's own
// restriction: only those languages' models are used, the confidence values are
// over them and sum to 1); without it fromAllLanguages() (75). Default settings
// (high-accuracy mode, minimum relative distance 0; models load lazily, inside
// the timed run). Output per line:
//   {"top": [[NAME, CONFIDENCE], ...]}   the three highest confidence values,
// highest first (computeLanguageConfidenceValues). Lingua's own answer
// (detectLanguageOf) is the first NAME unless its confidence is 0 or equal to the
// second's, in which case it has none (lingua-rs detect_language_from_languages).
import { readLines, option, requireTool, writer } from './lines.mjs'

const tools = option('tools')
if (!tools) { console.error('lingua.mjs: --tools DIR is required'); process.exit(2) }
const { LanguageDetectorBuilder } = requireTool(tools, '@bluzzi/lingua')
const names = option('languages', '')
const builder = names ? LanguageDetectorBuilder.fromLanguages(names.split(','))
    : LanguageDetectorBuilder.fromAllLanguages()
const detector = builder.build()
const out = writer()
for (const text of readLines()) {
    const v = detector.computeLanguageConfidenceValues(text)
    out.put({ top: v.slice(0, 3).map((x) => [x.language, x.confidence]) })
}
out.end()
