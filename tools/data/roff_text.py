"""roff_text.py: the text of man pages, for language-ID data and the demo model.

A reader of roff man pages (man and, minimally, mdoc macros) that keeps their prose and drops
their markup and code, used by langid_man.py (the language-ID data of `make data`) and by
tools/demo/manpage_text.py (the demo model's paragraphs). Nothing runs on import; no groff (too
slow for ~10k pages): the roff is stripped here.

- pages(ROOT): every page under ROOT/usr/share/man (a tree the manpages* packages were unpacked
  into with dpkg -x), as (LANGDIR, PAGE, PATH): LANGDIR "" for the top-level man1, man2, ...
  (English), else the language directory (de, pt_BR, zh_CN, ...); PAGE e.g. "ls.1"; symbolic
  links and files other than *.gz skipped; in sorted order of directory, then file name.
- read_page(PATH): the page's text (gzip, UTF-8, invalid bytes replaced, CRLF -> LF).
- page_records(TEXT): the page as (KIND, TEXT) records: "h" a .SH/.SS heading, "n" the NAME
  line's description ("ls \\- list directory contents" -> "list directory contents"; mdoc .Nd),
  "p" a paragraph (roff lines joined, no blank between two CJK characters).

What is dropped: comments, .ig/.de blocks, conditionals and other requests; code-like parts:
.nf/.fi and .EX/.EE blocks, tables (.TS/.TE), equations, .SY synopses, lines that start with a
space (preformatted), the SYNOPSIS and LIBRARY sections (the second section of a page when its
heading is a known synopsis heading, SKIP_SECTIONS), the tags of .TP/.IP (option names). Font
macros (.B .I .BR ...) keep their text; escapes are removed or replaced (\\f fonts, \\(xx and
\\[xx] special characters, \\- \\e \\& \\| \\s \\h ...). A minimal mdoc reader handles the few
BSD-style pages (.Sh, .Nd, .Pp).
"""

import gzip
import os
import re
import unicodedata

# second-section headings that are synopses or library lines (code), per the
# Debian 12 packages (counted over all pages) + English
SKIP_SECTIONS = {
    "SYNOPSIS", "LIBRARY", "ÜBERSICHT", "BIBLIOTHEK", "SINOPSIS", "BIBLIOTECA", "SINOPSE",
    "BIBLIOTHÈQUE", "SINTASSI", "SKŁADNIA", "BIBLIOTEKA", "СИНТАКСИС", "КОРОТКИЙ ОПИС",
    "БІБЛІОТЕКА", "БИБЛИОТЕКА", "ОБЗОР", "YLEISKATSAUS", "SYNTAKSI", "ÖSSZEGZÉS",
    "ÁTTEKINTÉS", "RINGKASAN", "SAMENVATTING", "BIBLIOTHEEK", "REZUMAT", "KULLANIM",
    "TÓM TẮT", "書式", "概要", "概述", "总览", "總覽", "POUŽITÍ", "KNIHOVNA",
    "ΣΦΑΙΡΙΚΗ ΕΙΚΟΝΑ", "SYNOPSE", "SYNOPSIS", "KÄYTTÖ", "SKRIVEMÅDE", "BIBLIOTEK",
}

SPECIAL = {
    "em": "—", "en": "–", "hy": "-", "aq": "'", "dq": '"', "lq": "“", "rq": "”",
    "oq": "‘", "cq": "’", "bu": "•", "co": "©", "rg": "®", "tm": "™", "mu": "×",
    "di": "÷", "de": "°", "+-": "±", ">=": "≥", "<=": "≤", "!=": "≠", "->": "→",
    "<-": "←", "ti": "~", "ha": "^", "rs": "\\", "sl": "/", "ga": "`", "aa": "´",
    "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›", "r!": "¡", "r?": "¿", "ss": "ß",
    "pl": "+", "mi": "-", "eq": "=", "**": "*", "lh": "☜", "rh": "☞", "sc": "§",
    "ps": "¶", "ct": "¢", "Po": "£", "Eu": "€", "eu": "€", "Ye": "¥", "ul": "_",
    "ba": "|", "br": "|", "or": "|", "dg": "†", "dd": "‡", "..": "…", "bq": "„",
    "Bq": "„", "ne": "≠", "ap": "~", "==": "≡", "pc": "·", "lA": "⇐", "rA": "⇒",
    "ua": "↑", "da": "↓", "ho": "˛", "a-": "¯", "a.": "˙", "'e": "é", "'a": "á",
}
STRINGS = {"lq": "“", "rq": "”", "R": "®", "Tm": "™", "Lq": "“", "Rq": "”", "aq": "'"}

ESC_ARG = re.compile(r"\\[hvwlLoXDNbxZSRAB]('[^']*'|\[[^\]]*\])")
ESC = re.compile(
    r"\\(?:"
    r"f(?:\[[^\]]*\]|\(..|.)"          # font
    r"|s[+-]?(?:\(\d\d|\[[^\]]*\]|\d)"   # size
    r"|\((..)"                           # \(xx
    r"|\[([^\]]*)\]"                     # \[xx]
    r"|\*(?:\((..)|\[([^\]]*)\]|(.))"    # strings
    r"|[nk$g](?:\(..|\[[^\]]*\]|.)"      # registers, args
    r"|(.))", re.DOTALL)


def _esc(m):
    full = m.group(0)
    c1 = full[1]
    if c1 in "fsnk$g":
        return ""
    if m.group(1) is not None:
        return SPECIAL.get(m.group(1), "")
    if m.group(2) is not None:
        name = m.group(2)
        if name in SPECIAL:
            return SPECIAL[name]
        mm = re.fullmatch(r"u([0-9A-Fa-f]{4,6})(?:_[0-9A-Fa-f]{4,6})*", name)
        if mm:
            try:
                return unicodedata.normalize("NFC", "".join(
                    chr(int(x.lstrip("u"), 16)) for x in name.split("_")))
            except ValueError:
                return ""
        if name.startswith("char") and name[4:].isdigit():
            return chr(int(name[4:])) if int(name[4:]) < 0x110000 else ""
        return ""
    if c1 == "*":
        name = m.group(3) or m.group(4) or m.group(5) or ""
        return STRINGS.get(name, "")
    ch = m.group(6)
    return {
        "-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "'": "´",
        "`": "`", ".": ".", "t": " ", "E": "\\", "_": "_",
    }.get(ch, "")  # \& \| \^ \, \/ \% \c \: \} \{ \p ... -> nothing


def unescape(s):
    s = ESC_ARG.sub("", s)
    return ESC.sub(_esc, s)


def parse_args(s):
    """Request arguments: blank-separated, double quotes group ("" = ")."""
    args, i, n = [], 0, len(s)
    while i < n:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            break
        if s[i] == '"':
            i += 1
            buf = []
            while i < n:
                if s[i] == '"':
                    if i + 1 < n and s[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(s[i])
                i += 1
            args.append("".join(buf))
        else:
            j = i
            while j < n and s[j] not in " \t":
                j += 1
            args.append(s[i:j])
            i = j
    return args


def _is_cjk(ch):
    o = ord(ch)
    return (0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x2FFFF)


def join_text(parts):
    """Join roff text lines: a space between them, none between two CJK chars."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not (_is_cjk(out[-1]) and _is_cjk(p[0])):
            out += " "
        out += p
    return out


ALT_MACROS = {"BR", "RB", "BI", "IB", "IR", "RI"}
FONT_MACROS = {"B", "I", "SM", "SB", "CW", "CR"}
BREAK_MACROS = {"PP", "LP", "P", "HP", "RS", "RE", "br", "sp", "in", "ti", "PD", "bp",
                "ne", "Pp", "Lp", "Bl", "El", "D1", "Dl", "It", "Sp"}
SKIP_BLOCKS = {"nf": "fi", "EX": "EE", "TS": "TE", "EQ": "EN", "SY": "YS", "PS": "PE",
               "Bd": "Ed", "cs": None}
MDOC_SKIP_WORD = re.compile(r"^(?:[A-Z][a-z][a-z]?|Ns|Pf|No)$")


def page_records(text):
    """Yield (kind, text) records of a page: kind 'h' heading, 'n' NAME
    description, 'p' paragraph."""
    lines = text.split("\n")
    # join continuation lines
    joined, buf = [], ""
    for ln in lines:
        if ln.endswith("\\") and not ln.endswith("\\\\"):
            buf += ln[:-1]
            continue
        joined.append(buf + ln)
        buf = ""
    if buf:
        joined.append(buf)
    mdoc = any(ln.startswith(".Dd") or ln.startswith(".Sh ") for ln in joined[:80])

    para = []
    section_no = 0
    section = ""
    skip_section = False
    skip_until = None
    cond_depth = 0
    drop_next = 0  # text lines to drop (the .TP tag)
    out = []

    def flush():
        if para:
            t = join_text(para)
            para.clear()
            if t and not skip_section:
                if section_no == 1 and not out_has_name[0]:
                    # NAME line: "ls \- list ..." (escapes already expanded)
                    mm = re.match(r"^.*?\s[-—–]\s+(.+)$", t)
                    if mm:
                        out.append(("n", mm.group(1)))
                        out_has_name[0] = True
                        return
                out.append(("p", t))

    out_has_name = [False]
    pending_head = False
    for raw in joined:
        if cond_depth:
            cond_depth += raw.count("\\{") - raw.count("\\}")
            if cond_depth < 0:
                cond_depth = 0
            continue
        if skip_until is not None:
            s = raw.strip()
            if s.startswith(".") or s.startswith("'"):
                name = s[1:].strip().split(" ")[0] if len(s) > 1 else ""
                if name == skip_until or (skip_until == ".." and s.startswith("..")):
                    skip_until = None
            continue
        # comments
        if raw.startswith('.\\"') or raw.startswith("'\\\"") or raw.startswith("\\\""):
            continue
        if raw.startswith('.\\#') or raw.startswith("\\#"):
            continue
        k = raw.find('\\"')
        while k >= 0:
            # a comment unless the backslash is itself escaped
            bs = 0
            j = k - 1
            while j >= 0 and raw[j] == "\\":
                bs += 1
                j -= 1
            if bs % 2 == 0:
                raw = raw[:k]
                break
            k = raw.find('\\"', k + 2)
        k = raw.find("\\#")
        if k >= 0:
            raw = raw[:k]
        if raw.startswith(".") or raw.startswith("'"):
            req = raw[1:].lstrip()
            parts = req.split(None, 1)
            name = parts[0] if parts else ""
            rest = parts[1] if len(parts) > 1 else ""
            if name in ("ig", "de", "de1", "am", "ds1"):
                if name in ("ig",):
                    skip_until = rest.split()[0] if rest.split() else ".."
                elif name.startswith("de") or name == "am":
                    skip_until = ".."
                continue
            if name in ("if", "ie", "el", "while"):
                if "\\{" in raw:
                    cond_depth = raw.count("\\{") - raw.count("\\}")
                continue
            if name in SKIP_BLOCKS:
                flush()
                if SKIP_BLOCKS[name]:
                    skip_until = SKIP_BLOCKS[name]
                continue
            if name in ("SH", "Sh", "SS", "Ss"):
                flush()
                head = join_text([unescape(" ".join(parse_args(rest)))]) if rest else ""
                if name in ("SH", "Sh"):
                    section_no += 1
                    section = head.upper()
                    skip_section = section_no >= 2 and section in SKIP_SECTIONS
                if head and not skip_section and section_no != 1:
                    out.append(("h", head))
                if not rest:  # the heading is the next text line
                    drop_next = 0
                    pending_head = True
                continue
            if name == "Nd":  # mdoc NAME description
                flush()
                t = unescape(rest).strip()
                if t:
                    out.append(("n", t))
                    out_has_name[0] = True
                continue
            if name in ("TP", "TQ"):
                flush()
                drop_next = 1
                continue
            if name == "IP":
                flush()
                continue
            if name in BREAK_MACROS:
                flush()
                if mdoc and name == "It":
                    continue  # mdoc list tags: options mostly
                continue
            if name in FONT_MACROS:
                if drop_next:
                    drop_next = 0
                    continue
                if rest:
                    para.append(unescape(" ".join(parse_args(rest))))
                continue
            if name in ALT_MACROS:
                if drop_next:
                    drop_next = 0
                    continue
                para.append(unescape("".join(parse_args(rest))))
                continue
            if mdoc and re.fullmatch(r"[A-Z][a-z][a-z]?", name) and name not in (
                    "Dd", "Dt", "Os", "Nm", "Fd", "Fn", "Fo", "Fc", "Ft", "Vt", "In", "Cd",
                    "Bd", "Ed", "Ex", "Rv", "Lb", "St", "Xr", "Pa", "Fl", "Ar", "Op", "Oo",
                    "Oc", "Ic", "Cm", "Ev", "Er", "Li", "Ad", "Dv", "Va"):
                # mdoc prose macros (Em, Sy, Dq, Qq, Pq ...): keep the words
                words = [w for w in parse_args(rest) if not MDOC_SKIP_WORD.match(w)]
                if words:
                    para.append(unescape(" ".join(words)))
                continue
            # any other request (.UR, .UE, .ft, .ad, .na, .so, .TH, .Dd ...): dropped
            continue
        # text line
        if pending_head:
            pending_head = False
            if raw.strip() and section_no >= 1:
                head = unescape(raw).strip()
                section = head.upper()
                skip_section = section_no >= 2 and section in SKIP_SECTIONS
                if not skip_section and section_no != 1:
                    out.append(("h", head))
                continue
        if drop_next:
            drop_next = 0
            continue
        if not raw.strip():
            flush()
            continue
        if raw[0] in " \t":  # preformatted
            flush()
            continue
        para.append(unescape(raw))
    flush()
    return out


def read_page(path):
    with gzip.open(path, "rb") as f:
        b = f.read()
    try:
        t = b.decode("utf-8")
    except UnicodeDecodeError:
        t = b.decode("utf-8", errors="replace")
    return t.replace("\r\n", "\n")


def pages(root):
    """Yield (langdir, page, path) for each man page under ROOT/usr/share/man (see the top)."""
    base_all = os.path.join(root, "usr", "share", "man")
    for top in sorted(os.listdir(base_all)):
        if re.fullmatch(r"man\w+", top):
            langdir, mandirs, base = "", [top], base_all
        else:
            langdir, base = top, os.path.join(base_all, top)
            if not os.path.isdir(base):
                continue
            mandirs = sorted(d for d in os.listdir(base) if re.fullmatch(r"man\w+", d))
        for md in mandirs:
            d = os.path.join(base, md)
            for fn in sorted(os.listdir(d)):
                p = os.path.join(d, fn)
                if os.path.islink(p) or not fn.endswith(".gz"):
                    continue
                yield langdir, fn[:-3], p
