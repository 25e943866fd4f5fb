#!/usr/bin/python3
"""langid_ood.py UNPACKED OUTDIR: the out-of-domain language-identification
test set from gettext message catalogs (see langid_ood.sh).

UNPACKED holds one directory per Debian package (its dpkg -x tree). Every
LC_MESSAGES/*.mo under a locale directory (usr/share/locale/LOC/, vim's
usr/share/vim/vim90/lang/LOC/) is read; LOC maps to a label (LABELS below).
English is the msgids (the original strings), the other labels the msgstrs.

What a string is and what is dropped (in this order):
- .mo files hold no fuzzy entries (msgfmt leaves them out); the header and
  empty translations are skipped; a plural entry gives one string per msgid
  form / msgstr form; a msgstr form equal to one of its msgid forms
  (untranslated) is dropped, and so is one whose cleaned text equals or
  contains (15+ characters) the cleaned msgid, and mojibake (UTF-8 read as
  Latin-1/Windows-1252: bison's tr catalog, a few it ones).
- Entries are skipped whose msgid is --help/usage text (a line starting
  with an option -x/--foo, or "Usage:": help2man copies these texts into the
  man pages, which, translated, are the identifier's training data), a
  synopsis ("[NAME ...]", "a | b]", ";;") or credits ("Copyright", "(C)",
  "Written by", "Packaged by").
- English: msgids that most translators copy unchanged (in at least half of
  the catalogs that have them: author names, product names, terms) are
  dropped.
- A string is split into paragraphs at blank lines; newlines and tabs become
  spaces; NFC.
- Removed: Pango/HTML markup and entities; URLs, e-mail addresses; paths
  (/x, ~/x, ./x); format directives (printf %s %-10s %1$s %lu %'d, Qt %1,
  python %(x)s, strftime %H, ObjC %@, {name} {0}, ${x}, $x, $@, texinfo and
  e2fsck @codes); <placeholders>; vim's E123:/W10: codes; accelerators (CJK
  "(_O)"/"(&O)", "_" and "&" before a letter, also inside a word when it is
  not an identifier copied from the msgid); option names (-x, --foo=BAR);
  code tokens (a_b identifiers, a.b file and host names with parts of 2+
  letters, a=b, a::b, a->b, calendar:MY); ALL-CAPS placeholders and acronyms
  (FILE, DATEI, ФАЙЛ, GPG: a word of 2+ letters without lowercase); lone
  quote marks; then empty brackets/quotes, repeated separators (": :",
  ":."), unmatched brackets/quotes and punctuation left at either end;
  whitespace collapsed; spaces between CJK characters (left where a
  placeholder was) removed for zh-Hans, zh-Hant, ja.
- Kept only with >= 4 letters (>= 2 for zh-Hans/zh-Hant/ja/ko in the short
  set), letters >= 50% of the non-space characters, code symbols
  (+*/%~&|^<>=$#@{}[]\`_) fewer than 3 or under 5% of them, and a script
  check: ru/uk >= 80% of letters Cyrillic (ru without і ї є ґ, uk without
  ы э ъ ё), el >= 80% Greek, Latin labels >= 80% Latin (vi incl. its
  extended Latin), ko >= 50% Hangul and no kana, ja kana present and
  Han+kana >= 50% and no Hangul, zh-Hans/zh-Hant Han >= 50%, no kana, no
  Hangul. Latin labels other than en are dropped when they read as English
  left untranslated: 2+ strong English words (the, with, cannot, failed, ...),
  or 1 in a string of at most 4 words, or 1 with weak ones (to, of, is, ...)
  making 3.
- Duplicates (case-folded, whitespace-collapsed) kept once per label; a
  string found under two labels (e.g. zh-Hans and zh-Hant, de and nl) is
  dropped from both.
- ood.txt: 20-300 characters; ood-short.txt: <= 32 characters (<= 12 for
  zh-Hans, zh-Hant, ja, ko). 20-32 character strings can be in both files.
- At most 500 per label, chosen deterministically and spread over the
  packages: each package's strings are ordered by the SHA-256 of the text,
  then taken round-robin over the packages (sorted by name) until 500.
  A string found in several packages belongs to the first (by name).
- Lines are sorted by the SHA-256 of the line (a fixed pseudo-random order).

langid_world.py reuses the reader and the cleaning for every language:
collect() and catalogs() take another locale -> label mapping, script_ok()
the main script of a label outside the 24, select() another cap.

Standard library only."""

import hashlib
import os
import re
import struct
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textutil import check_counts, die, fasttext_line, interleave, one_line, write_lines  # noqa: E402

LABELS = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "de", "fr", "es", "it", "pt",
          "pl", "nl", "cs", "sv", "tr", "vi", "id", "el", "da", "fi", "hu", "ro"]
CJK = {"zh-Hans", "zh-Hant", "ja", "ko"}
CAP = 500
LONG_MIN, LONG_MAX = 20, 300
SHORT_MAX, SHORT_MAX_CJK = 32, 12

# Per-label counts of this extraction (ood.txt, ood-short.txt).
EXPECTED_LONG = {lab: CAP for lab in LABELS}
EXPECTED_SHORT = {lab: CAP for lab in LABELS}


def locale_label(loc):
    """Label for a locale directory name, or None (not one of the 24, an
    English variant, or a re-encoded copy such as ja.euc-jp)."""
    if "." in loc or "@" in loc:
        return None
    lang, _, region = loc.partition("_")
    if lang == "zh":
        return {"CN": "zh-Hans", "SG": "zh-Hans", "TW": "zh-Hant", "HK": "zh-Hant",
                "MO": "zh-Hant"}.get(region)
    if lang == "en":
        return None
    return lang if lang in LABELS else None


# ---------------------------------------------------------------- .mo files

_CHARSET = re.compile(r"charset=([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def read_mo(path):
    """(msgid, msgstr) byte pairs of a GNU .mo file, and its charset."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 20:
        return "utf-8", []
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0x950412DE:
        e = "<"
    elif magic == 0xDE120495:
        e = ">"
    else:
        raise ValueError("%s: not a .mo file" % path)
    _, n, o_ids, o_strs = struct.unpack(e + "4I", data[4:20])
    pairs = []
    for i in range(n):
        ln, off = struct.unpack(e + "2I", data[o_ids + 8 * i:o_ids + 8 * i + 8])
        lt, offt = struct.unpack(e + "2I", data[o_strs + 8 * i:o_strs + 8 * i + 8])
        pairs.append((data[off:off + ln], data[offt:offt + lt]))
    charset = "utf-8"
    for mid, mstr in pairs:
        if mid == b"":
            m = _CHARSET.search(mstr.decode("ascii", "replace"))
            if m and m.group(1).upper() != "CHARSET":
                charset = m.group(1)
    try:
        "".encode(charset)
    except LookupError:
        charset = "utf-8"
    return charset, pairs


# ---------------------------------------------------------------- cleaning

_HELP = re.compile(r"(?m)^\s*--?[A-Za-z0-9?]|^\s*(?:%s:\s*)?usage:", re.IGNORECASE)
_SKIP_ID = re.compile(r"copyright|©|\(c\)\s*\d|written by|packaged by"
                      r"|\[[^\]]*(?:\.\.\.|\|)|\.\.\.\s*\]|;;", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|nbsp|#[0-9]+|#x[0-9A-Fa-f]+);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}
_URL = re.compile(r"(?:\b(?:https?|ftps?|file|hkps?|ldaps?|git|ssh|mailto):(?://)?|\bwww\.)[^\s\"'<>()«»“”]*",
                  re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PATH = re.compile(r"(?<![\w.~/\\-])(?:~|\.\.?)?/(?=[\w.~*$%-])[^\s,;:()\[\]\"'«»“”‘’„<>]*")
_PRINTF = re.compile(
    r"%(?:\d+\$)?[-+#0'I]*(?:\*(?:\d+\$)?|\d+)?(?:\.(?:\*(?:\d+\$)?|\d+))?"
    r"(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnmCS]")
_PYFMT = re.compile(r"%\([^()\s]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_STRFTIME = re.compile(r"%[-_0^#]?[EO]?[A-Za-z+]")
_QTARG = re.compile(r"%L?\d+")
_BRACE = re.compile(r"\$?\{[^{}\s]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$[\d@*#?!$-]+|%@|(?<!\w)@[A-Za-z]+")
_ANGLE = re.compile(r"<[^<>\n]{1,40}>")
_CJK_ACCEL = re.compile(r"\s*[(（][_&~][A-Za-z0-9][)）]")
_AMP_ACCEL = re.compile(r"&(?=\w)")
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z0-9?][\w-]*(?:=[^\s,;)\]]*)?|(?<![\w-])--(?=\s|$)")
_TOKEN = re.compile(r"\S+")
_EMPTY_PAIR = re.compile(
    r"\(\s*\)|\[\s*\]|\{\s*\}|<\s*>|«\s*»|»\s*«|“\s*”|„\s*“|”\s*”|‘\s*’|‚\s*‘|\"\s*\"|'\s*'|`\s*'|`\s*`"
    r"|「\s*」|『\s*』|（\s*）|【\s*】|《\s*》|〈\s*〉|‹\s*›")
_QUOTES = "'\"`«»‹›‘’‚“”„「」『』"
_EMPTY_QUOTES = re.compile("[%s]\\s*[%s]" % (_QUOTES, _QUOTES))
_DUP_SEP = re.compile(r"([:;,])(?:\s*[:;,])+")
_SEP_STOP = re.compile(r"\s*[:;,]\s*(?=[.。)）])")
_DUP_STOP = re.compile(r"\.(?:\s+\.)+(?!\.)")
_VIM_CODE = re.compile(r"(?<![\w-])[EW]\d{1,4}:\s*")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])\s+"
                        r"(?=[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])")
_LEAD = re.compile(r"^[\s:;,.\-–—|/<>*=+#]+")
_TRAIL = re.compile(r"[\s:;,\-–—|/(<*=+#\[]+$")
_SPACE_PUNCT = re.compile(r"\s+([,.])(?=\s|$)")
_WS = re.compile(r"\s+")
_PUNCT_EDGES = "\"'`«»“”„‘’‚()[]{}<>.,;:!?¡¿…。、，：；！？（）「」『』【】《》·-–—*"


def _letters(s):
    return sum(1 for c in s if unicodedata.category(c)[0] == "L")


def _fix_token(tok, msgid_tokens, english):
    """A whitespace-separated token with mnemonics, code and ALL-CAPS
    placeholders handled: returns the token, a repaired one or ''."""
    core = tok.strip(_PUNCT_EDGES)
    if not core:
        return "" if all(c in _QUOTES for c in tok) else tok
    if "_" in core:
        if core.startswith("_") and core.count("_") == 1 and core[1:].isalpha():
            tok = tok.replace("_", "", 1)  # _Open: GTK mnemonic
            core = core[1:]
        elif (not english and core.count("_") == 1 and core not in msgid_tokens
              and core.replace("_", "").isalpha() and not core.endswith("_")):
            tok = tok.replace("_", "", 1)  # Ö_ffnen: mnemonic inside a word
            core = core.replace("_", "")
        else:
            return ""  # an identifier (LC_ALL, foo_bar)
    if "::" in core or "->" in core or "=" in core or "\\" in core:
        return ""
    if re.search(r"\w:\w", core) and not re.fullmatch(r"[\d:]+", core):
        return ""  # calendar:MY, key:value
    parts = core.split(".")
    if len(parts) > 1 and sum(1 for p in parts if len(p) >= 2 and re.search(r"[^\W\d_]", p)) >= 2:
        return ""  # file.txt, example.com
    if re.search(r"[^\W\d_]\.[A-Za-z0-9]{1,4}$", core) and not core[-1].isupper() and len(parts[-1]) >= 2:
        return ""  # foo.c, x.conf
    letters = [c for c in core if c.isalpha()]
    if len(letters) >= 2 and not any(c.islower() for c in letters) and any(c.isupper() for c in letters):
        return ""  # ALL-CAPS placeholder or acronym
    return tok


def clean(text, msgid_tokens=frozenset(), english=False):
    """The cleaned one-line text of one paragraph of a catalog string."""
    s = unicodedata.normalize("NFC", text)
    s = _TAG.sub(" ", s)
    s = _ENTITY.sub(lambda m: _ENTITIES.get(m.group(1))
                    or chr(int(m.group(1)[2:], 16) if m.group(1)[1:2] in "xX" else int(m.group(1)[1:])), s)
    s = _URL.sub(" ", s)
    s = _EMAIL.sub(" ", s)
    s = _PATH.sub(" ", s)
    s = _PYFMT.sub(" ", s)
    s = _PRINTF.sub(" ", s)
    s = _QTARG.sub(" ", s)
    s = _STRFTIME.sub(" ", s)
    s = s.replace("%%", "%")
    s = _BRACE.sub(" ", s)
    s = _ANGLE.sub(" ", s)
    s = _CJK_ACCEL.sub("", s)
    s = _AMP_ACCEL.sub("", s)
    s = _OPTION.sub(" ", s)
    s = _VIM_CODE.sub(" ", s)
    s = one_line(s)
    s = " ".join(t for t in (_fix_token(t, msgid_tokens, english) for t in s.split(" ")) if t)
    for _ in range(3):
        s = _EMPTY_PAIR.sub(" ", s)
        s = _EMPTY_QUOTES.sub(" ", s)
    s = _WS.sub(" ", s).strip()
    s = _DUP_SEP.sub(r"\1", s)
    s = _SEP_STOP.sub("", s)
    s = _DUP_STOP.sub(".", s)
    s = _SPACE_PUNCT.sub(r"\1", s)
    s = _LEAD.sub("", s)
    s = _TRAIL.sub("", s)
    return _strip_unbalanced(s)


_PAIRS = [("(", ")"), ("[", "]"), ("{", "}"), ("（", "）"), ("<", ">"), ("「", "」"), ("『", "』"),
          ("‹", "›")]
_GROUPS = ["'", '"', "`", "«»", "“”„"]  # quotes that may open or close: odd count = unmatched


def _strip_unbalanced(s):
    """Drop an unmatched bracket or quote (left by a removed placeholder) at
    either end."""
    changed = True
    while s and changed:
        changed = False
        for g in _GROUPS:
            if s and sum(s.count(q) for q in g) % 2 and (s[0] in g or s[-1] in g):
                s = (s[1:] if s[0] in g else s[:-1]).strip()
                changed = True
        for o, c in _PAIRS:
            if s and (s[-1] == c and s.count(o) < s.count(c) or s[-1] == o):
                s = s[:-1].strip()
                changed = True
            if s and (s[0] == o and s.count(o) > s.count(c) or s[0] == c):
                s = s[1:].strip()
                changed = True
        if s and (s[0] == "’" or s[-1] == "‘"):
            s = (s[1:] if s[0] == "’" else s[:-1]).strip()
            changed = True
    return _TRAIL.sub("", _LEAD.sub("", s))


def mojibake(s):
    """True for UTF-8 read as Windows-1252/Latin-1 (l'argomento non Ã¨)."""
    if not re.search("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]", s):
        return False
    for enc in ("cp1252", "latin-1"):
        try:
            return s.encode(enc).decode("utf-8") != s
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return False


# ---------------------------------------------------------------- script checks

def _script(c):
    o = ord(c)
    if o < 0x80:
        return "latin" if c.isalpha() else None
    if 0xC0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF or o in (0xAA, 0xBA) or 0x250 <= o <= 0x2AF:
        return "latin"
    if 0x370 <= o <= 0x3FF or 0x1F00 <= o <= 0x1FFF:
        return "greek"
    if 0x400 <= o <= 0x52F:
        return "cyrillic"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
        return "kana"
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FFFF or o == 0x3005):
        return "han"
    return "other"


_EN_WORDS = {"the", "and", "with", "this", "that", "from", "cannot", "you", "your", "which",
             "have", "has", "should", "could", "would", "there", "these", "those", "into",
             "than", "only", "must", "been", "were", "does", "doesn't", "can't", "please",
             "isn't", "not", "already", "being", "whether", "while", "without", "unable",
             "failed", "found", "invalid", "unknown", "missing", "specified", "because"}
_EN_WEAK = {"to", "of", "is", "for", "be", "are", "in", "on", "a", "an", "or", "set", "file",
            "no", "by", "at", "it", "as", "was", "will", "can"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def script_ok(label, s, script=None):
    """Does s fit the label's script (rules in the module docstring)? script:
    the main script of a label other than the 24 (langid_inventory.scripts()
    names: "Arabic", "Cyrillic", "Latin" ...; langid_world.py): a non-Latin
    one needs >= 80% of the letters in it, a Latin one the Latin rules."""
    if script not in (None, "Latin") and label not in LABELS:
        import langid_inventory  # noqa: E402 (only this path needs it)
        sc = langid_inventory.scripts(s)
        return bool(sc) and sc.count(script) >= 0.8 * len(sc) and not mojibake(s)
    counts = {}
    for c in s:
        if unicodedata.category(c)[0] == "L":
            k = _script(c)
            counts[k] = counts.get(k, 0) + 1
    n = sum(counts.values())
    if not n:
        return False
    get = counts.get
    if label in ("ru", "uk"):
        if get("cyrillic", 0) < 0.8 * n:
            return False
        if label == "ru" and re.search("[іїєґІЇЄҐ]", s):
            return False
        if label == "uk" and re.search("[ыэъёЫЭЪЁ]", s):
            return False
        return True
    if label == "el":
        return get("greek", 0) >= 0.8 * n
    if label == "ko":
        return get("hangul", 0) >= 0.5 * n and not get("kana")
    if label == "ja":
        return get("kana", 0) > 0 and get("kana", 0) + get("han", 0) >= 0.5 * n and not get("hangul")
    if label in ("zh-Hans", "zh-Hant"):
        return get("han", 0) >= 0.5 * n and not get("kana") and not get("hangul")
    if get("latin", 0) < 0.8 * n or mojibake(s):
        return False
    if label != "en":
        words = [w.lower() for w in _WORD.findall(s)]
        hits = sum(1 for w in words if w in _EN_WORDS)
        weak = sum(1 for w in words if w in _EN_WEAK)
        if hits >= 2 or hits == 1 and (len(words) <= 4 or hits + weak >= 3):
            return False
    return True


_CODE_CHARS = frozenset("+*/%~&|^<>=$#@{}[]\\`_")


def letters_ok(s, min_letters):
    """Enough letters, and not code or an operator table (3+ code symbols
    making 5% of the non-space characters)."""
    nonspace = sum(1 for c in s if not c.isspace())
    n = _letters(s)
    code = sum(1 for c in s if c in _CODE_CHARS)
    if code >= 3 and code >= 0.05 * nonspace:
        return False
    return n >= min_letters and nonspace and n >= 0.5 * nonspace


def key(s):
    return _WS.sub(" ", s.casefold()).strip()


# ---------------------------------------------------------------- collection

def catalogs(root, label_of=None):
    """(package, label, path) of every usable .mo file, in a fixed order;
    label_of maps a locale directory to a label or None (default:
    locale_label, the 24 labels)."""
    label_of = label_of or locale_label
    out = []
    for pkg in sorted(os.listdir(root)):
        for d, dirs, files in os.walk(os.path.join(root, pkg)):
            dirs.sort()
            if os.path.basename(d) != "LC_MESSAGES":
                continue
            loc = os.path.basename(os.path.dirname(d))
            label = label_of(loc)
            if label is None:
                continue
            for f in sorted(files):
                if f.endswith(".mo"):
                    out.append((pkg, label, os.path.join(d, f)))
    return out


_PARA = re.compile(r"\n[ \t]*\n")


def paragraphs(s):
    return [p for p in _PARA.split(s) if p.strip()]


def collect(root, label_of=None):
    """label -> {key: (text, package)} for every cleaned string, and
    key -> set of labels it was found under. label_of: as for catalogs()."""
    found = {lab: {} for lab in LABELS}
    labels_of = {}
    stats = {"catalogs": 0, "entries": 0, "help": 0, "untranslated": 0, "undecodable": 0}
    kept_as_is = {}  # English key -> [catalogs translating it, catalogs copying it]
    en_clean = {}  # msgid paragraph -> cleaned (each msgid is in many catalogs)

    def add(label, text, pkg):
        if label in ("zh-Hans", "zh-Hant", "ja"):
            text = _CJK_SPACE.sub("", text)
        k = key(text)
        labels_of.setdefault(k, set()).add(label)
        if k not in found.setdefault(label, {}):
            found[label][k] = (text, pkg)

    for pkg, label, path in catalogs(root, label_of):
        charset, pairs = read_mo(path)
        stats["catalogs"] += 1
        for bid, bstr in pairs:
            if not bid or not bstr:
                continue
            stats["entries"] += 1
            try:
                mid = bid.decode(charset)
                mstr = bstr.decode(charset)
            except (UnicodeDecodeError, LookupError):
                stats["undecodable"] += 1
                continue
            if "\x04" in mid:  # msgctxt EOT msgid
                mid = mid.split("\x04", 1)[1]
            ids = mid.split("\x00")
            if any(_HELP.search(i) or _SKIP_ID.search(i) for i in ids):
                stats["help"] += 1
                continue
            forms = [f for f in mstr.split("\x00") if f.strip()]
            copied = any(f in ids for f in forms)
            id_tokens = frozenset(t.strip(_PUNCT_EDGES) for i in ids for t in i.split())
            cleaned_ids = set()
            for i in ids:
                for p in paragraphs(i):
                    c = en_clean.get(p)
                    if c is None:
                        c = en_clean[p] = clean(p, english=True)
                    if c:
                        cleaned_ids.add(key(c))
                        add("en", c, pkg)
            for k in cleaned_ids:
                n = kept_as_is.setdefault(k, [0, 0])
                n[0] += 1
                n[1] += copied
            for form in forms:
                if mojibake(form):
                    stats["undecodable"] += 1
                    continue
                if form in ids:
                    stats["untranslated"] += 1
                    continue
                for p in paragraphs(form):
                    c = clean(p, id_tokens)
                    if not c:
                        continue
                    kc = key(c)
                    if kc in cleaned_ids or any(len(i) >= 15 and i in kc for i in cleaned_ids):
                        stats["untranslated"] += 1  # the English, maybe with additions
                        continue
                    add(label, c, pkg)
    # English strings that translators mostly copy unchanged (names, terms).
    stats["en_names"] = 0
    for k, (n, same) in kept_as_is.items():
        if same * 2 >= n and k in found["en"]:
            del found["en"][k]
            stats["en_names"] += 1
    return found, labels_of, stats


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def select(cands, cap=CAP):
    """At most cap of (text, package) pairs: per package in SHA-256 order of
    the text, round-robin over the packages (sorted by name)."""
    by_pkg = {}
    for text, pkg in cands:
        by_pkg.setdefault(pkg, []).append(text)
    return interleave([sorted(by_pkg[p], key=sha) for p in sorted(by_pkg)], cap)


def main():
    if len(sys.argv) != 3:
        die("usage: langid_ood.py UNPACKED OUTDIR")
    root, outdir = sys.argv[1], sys.argv[2]
    found, labels_of, stats = collect(root)
    if not stats["catalogs"]:
        die("no catalogs under %s" % root)
    print("catalogs %(catalogs)d, entries %(entries)d, help/usage/synopsis/credits skipped %(help)d, "
          "untranslated dropped %(untranslated)d, undecodable/mojibake %(undecodable)d, "
          "English kept as is by most translators %(en_names)d" % stats)
    long_lines, short_lines = [], []
    got_long, got_short, pool = {}, {}, {}
    for lab in LABELS:
        longs, shorts = [], []
        for k, (text, pkg) in found[lab].items():
            if len(labels_of[k]) > 1 or not script_ok(lab, text):
                continue
            n = len(text)
            if LONG_MIN <= n <= LONG_MAX and letters_ok(text, 4):
                longs.append((text, pkg))
            if lab in CJK:
                if n <= SHORT_MAX_CJK and letters_ok(text, 2):
                    shorts.append((text, pkg))
            elif n <= SHORT_MAX and letters_ok(text, 4):
                shorts.append((text, pkg))
        pool[lab] = (len(longs), len(shorts))
        for texts, lines, got in ((select(longs), long_lines, got_long),
                                  (select(shorts), short_lines, got_short)):
            for t in texts:
                lines.append(fasttext_line(lab, one_line(t)))
            got[lab] = len(texts)
    for name, lines in (("ood.txt", long_lines), ("ood-short.txt", short_lines)):
        lines.sort(key=sha)
        write_lines(os.path.join(outdir, name), lines)
    print("%-8s %8s %8s %8s %8s" % ("label", "ood", "(pool)", "short", "(pool)"))
    for lab in LABELS:
        note = "  < 200" if min(got_long[lab], got_short[lab]) < 200 else ""
        print("%-8s %8d %8d %8d %8d%s" % (lab, got_long[lab], pool[lab][0], got_short[lab],
                                         pool[lab][1], note))
    print("%-8s %8d %8s %8d" % ("total", len(long_lines), "", len(short_lines)))
    if EXPECTED_LONG or EXPECTED_SHORT:
        ok = check_counts("ood.txt", got_long, EXPECTED_LONG)
        ok = check_counts("ood-short.txt", got_short, EXPECTED_SHORT) and ok
        if not ok:
            die("counts differ from the expected ones")


if __name__ == "__main__":
    main()
