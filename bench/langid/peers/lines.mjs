// Shared by the peer scripts: every line of standard input, split on "\n"
// only (a CR before it is kept: predict_peer.py has already dropped it), the
// bytes decoded as UTF-8 with U+FFFD for invalid sequences. A final line
// without "\n" counts; an empty input has no lines.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export function readLines() {
    const text = new TextDecoder('utf-8').decode(readFileSync(0))
    const lines = text.split('\n')
    if (lines.length && lines[lines.length - 1] === '') lines.pop()
    return lines
}

// The value of --NAME in argv (or def).
export function option(name, def) {
    const i = process.argv.indexOf('--' + name)
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def
}

// require() / import() of a package installed by peers_install.sh in TOOLS/node_modules.
export function requireTool(tools, name) {
    return createRequire(join(tools, 'node_modules', 'x.js'))(name)
}
export function importTool(tools, relPath) {
    return import(pathToFileURL(join(tools, 'node_modules', relPath)).href)
}

// Writes one JSON object per line, in order, with one write per 1000 lines.
export function writer() {
    let buf = []
    return {
        put(obj) {
            buf.push(JSON.stringify(obj))
            if (buf.length >= 1000) { process.stdout.write(buf.join('\n') + '\n'); buf = [] }
        },
        end() { if (buf.length) process.stdout.write(buf.join('\n') + '\n'); buf = [] },
    }
}
