#!/usr/bin/python3
"""Language-ID data from Debian's translated documentation (HTML).

usage: langid_docs.py TREE OUT.tsv

TREE holds the packages unpacked with `dpkg -x` (any layout below it: the files
are recognised by their installed paths). Writes OUT.tsv, one paragraph a line:
LABEL <TAB> DOC_ID <TAB> TEXT (UTF-8, LF), DOC_ID = doc:MANUAL:CHAPTER:LANG, so
the same chapter in every language shares the prefix doc:MANUAL:CHAPTER.

Paragraphs are <p>, <li>, <dd> and <h1>-<h6>; nothing inside <pre>, <code>,
<tt>, <kbd>, <samp>, tables, navigation, tables of contents, sidebars, title
pages' author/copyright lines. Inline code (also DocBook's command, filename,
option... spans), URLs and e-mail addresses are removed from the text.
A translated paragraph is dropped when it is (nearly) an English paragraph:
same letters (case, digits, punctuation and spacing aside) as a paragraph of
the English manuals, or most of its word trigrams occur in them, or it reads
as English (English function words). Code-like paragraphs are dropped.
Standard library only; deterministic output."""

import html.parser
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textutil import one_line  # noqa: E402

# Language code in the manuals -> label (others, e.g. ca, are ignored).
LABELS = {
    "en": "en", "zh-cn": "zh-Hans", "zh_CN": "zh-Hans", "zh-tw": "zh-Hant", "zh_TW": "zh-Hant",
    "ja": "ja", "ko": "ko", "ru": "ru", "uk": "uk", "de": "de", "fr": "fr", "es": "es", "it": "it",
    "pt": "pt", "pt-br": "pt", "pt_BR": "pt", "pl": "pl", "nl": "nl", "cs": "cs", "sv": "sv",
    "tr": "tr", "vi": "vi", "id": "id", "el": "el", "da": "da", "fi": "fi", "hu": "hu", "ro": "ro",
}

# Installed path -> (manual, language, chapter). The language is None for the
# English original when the path does not name it.
_PATHS = [
    ("debian-reference",
     re.compile(r"usr/share/debian-reference/(?P<doc>[^/.]+)\.(?P<lang>[A-Za-z_-]+)\.html$")),
    ("debian-faq",
     re.compile(r"usr/share/doc/debian/FAQ/(?:[A-Za-z_-]+/)?(?P<doc>[^/.]+)\.(?P<lang>[A-Za-z_-]+)\.html$")),
    ("maint-guide",
     re.compile(r"usr/share/doc/maint-guide(?:-[A-Za-z_-]+)?/html/(?P<doc>[^/.]+)\.(?P<lang>[A-Za-z_-]+)\.html$")),
    ("developers-reference",
     re.compile(r"usr/share/developers-reference/(?:(?P<lang>[A-Za-z_-]+)/)?(?P<doc>[^/.]+)\.html$")),
    ("installation-guide",
     re.compile(r"usr/share/doc/installation-guide-amd64/(?P<lang>[A-Za-z_-]+)/(?P<doc>[^/.]+)\.html$")),
]
_SKIP_DOCS = {"search", "genindex", "py-modindex"}  # Sphinx pages without prose


def classify(relpath):
    for manual, rx in _PATHS:
        m = rx.search(relpath)
        if m:
            lang = m.group("lang") or "en"
            doc = m.group("doc")
            if doc in _SKIP_DOCS:
                return None
            if manual == "installation-guide":
                # one document per chapter/appendix: ch02s01.html -> ch02
                c = re.match(r"(ch\d+|ap[a-z]|pr\d+|index|bk\d+|go\d+)", doc)
                doc = c.group(1) if c else doc
            return manual, lang, doc
    return None


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}
_PARA = {"p", "li", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK = _PARA | {"div", "section", "ul", "ol", "dl", "dt", "table", "pre", "blockquote",
                  "body", "html", "nav", "header", "footer", "aside", "article", "main",
                  "br", "hr", "tr", "td", "th", "caption", "figure", "form"}
_SKIP_TAGS = {"pre", "code", "tt", "kbd", "samp", "script", "style", "head", "title",
              "table", "dt", "nav", "select", "textarea", "sup", "object", "svg", "math"}
_SKIP_CLASSES = {
    # DocBook XSL
    "navheader", "navfooter", "toc", "list-of-tables", "list-of-figures", "list-of-examples",
    "list-of-procedures", "lot", "authorgroup", "author", "othercredit", "editor", "copyright",
    "releaseinfo", "pubdate", "revhistory", "command", "filename", "literal", "option",
    "userinput", "computeroutput", "systemitem", "envar", "programlisting", "screen",
    "synopsis", "cmdsynopsis", "funcsynopsis", "literallayout", "varname", "classname",
    "package", "prompt", "code", "uri", "email",
    "citerefentry", "refentrytitle", "keycap", "keycombo", "guimenu", "guimenuitem",
    "guibutton", "guilabel", "sgmltag", "markup", "parameter", "function", "constant",
    "returnvalue", "type", "structname", "structfield", "property", "token", "interfacename",
    "errorcode", "errorname", "exceptionname", "methodname", "ooclass",
    "mediaobject", "inlinemediaobject",
    # Sphinx
    "related", "sphinxsidebar", "sphinxsidebarwrapper", "footer", "toctree-wrapper",
    "contents", "headerlink", "highlight", "pre", "searchformwrapper", "clearer",
    "language_switcher_placeholder", "this-page-menu", "doctest", "literal-block-wrapper",
    "nav-item", "docutils literal", "notranslate", "download",
}


_INLINE_TAGS = {"code", "tt", "kbd", "samp", "var"}
_HARD_TAGS = _SKIP_TAGS - _INLINE_TAGS
_INLINE_CLASSES = {
    "command", "filename", "literal", "option", "userinput", "computeroutput", "systemitem",
    "envar", "varname", "classname", "package", "prompt", "code", "uri", "email",
    "citerefentry", "refentrytitle", "keycap", "keycombo", "sgmltag", "markup", "parameter",
    "function", "constant", "returnvalue", "type", "structname", "structfield", "property",
    "token", "interfacename", "errorcode", "errorname", "exceptionname", "methodname",
    "ooclass", "pre", "docutils literal", "notranslate", "download",
}
_NAME = re.compile(r"^[^\W_][\w.+-]{0,29}$")


class _Paragraphs(html.parser.HTMLParser):
    """Collects the text of paragraph-like elements, skipping tables,
    navigation and tables of contents and code blocks; inline code is kept
    only when it is a single name (a package or program name, a word), else
    dropped. A paragraph ends at any block tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, hard, inline, is_para)
        self.hard = 0
        self.inline = 0
        self.para = 0
        self.buf = []
        self.code = []
        self.out = []

    def _flush(self):
        if self.buf:
            text = "".join(self.buf)
            self.buf = []
            if text.strip():
                self.out.append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK:
            self._flush()
        if tag in _VOID:
            if tag in ("br", "img"):
                (self.code if self.inline else self.buf).append(" ")
            return
        classes = set()
        for k, v in attrs:
            if k == "class" and v:
                classes.update(v.split())
                classes.add(v)
            elif k in ("role", "id") and v in ("navigation", "search", "contents"):
                classes.add("toc")
        inline = tag in _INLINE_TAGS or bool(classes & _INLINE_CLASSES)
        hard = not inline and (tag in _HARD_TAGS or bool(classes & _SKIP_CLASSES))
        is_para = tag in _PARA
        self.stack.append((tag, hard, inline, is_para))
        if inline and not self.inline:
            self.code = []
        self.hard += hard
        self.inline += inline
        self.para += is_para

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self._flush()
        elif tag in ("br", "img"):
            (self.code if self.inline else self.buf).append(" ")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if not any(e[0] == tag for e in self.stack):
            return  # stray end tag
        if tag in _BLOCK:
            self._flush()
        while self.stack:
            t, hard, inline, is_para = self.stack.pop()
            self.hard -= hard
            self.para -= is_para
            if inline:
                self.inline -= 1
                if not self.inline:
                    name = "".join(self.code).strip()
                    self.code = []
                    if self.para and not self.hard and _NAME.match(name):
                        self.buf.append(name)
            if t == tag:
                break

    def handle_data(self, data):
        if self.para and not self.hard:
            (self.code if self.inline else self.buf).append(data)

    def close(self):
        super().close()
        self._flush()


def html_paragraphs(text):
    p = _Paragraphs()
    p.feed(text)
    p.close()
    return p.out


# ---- cleaning shared with langid_ddtp.py -------------------------------------------------

_URL = re.compile(r"(?:\b(?:https?|ftp|file|git|svn|rsync)://|\bwww\.)[^\s<>\"'«»“”]*", re.I)
_EMAIL = re.compile(r"<?\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b>?")
_FOOTREF = re.compile(r"\[\d+\]")
_NUMBERING = re.compile(
    r"^(?:(?:\d+|[A-Z])(?:\.\d+)+\.?|\d+\.|[A-Z]\.|[IVX]+\.|Q\.|A\.)\s+")
_EMPTY_PAIRS = re.compile(
    r"\(\s*[,;:]?\s*\)|\[\s*\]|\{\s*\}|«\s*»|“\s*”|„\s*“|‘\s*’|\"\s*\"|'\s*'|「\s*」|『\s*』|"
    r"（\s*）|《\s*》|〈\s*〉|‹\s*›|»\s*«|”\s*”")
_SPACE_PUNCT = re.compile(r" +([,.;:!?)\]»”、。，；：！？）])")
_WS = re.compile(r"\s+")


_MOJIBAKE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")


def _unmojibake(m):
    s = m.group(0)
    if not any("\u0080" <= ch <= "\u009f" for ch in s):
        return s  # only sequences with C1 controls, never real text
    try:
        return s.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return s


def clean(text):
    """One line of prose: UTF-8 read as Latin-1 repaired; URLs, e-mail
    addresses, footnote marks, leading section numbers and the empty
    brackets/quotes left by removed code gone."""
    s = _MOJIBAKE.sub(_unmojibake, text)
    s = one_line(s, prefix="")
    s = _URL.sub(" ", s)
    s = _EMAIL.sub(" ", s)
    s = _FOOTREF.sub(" ", s)
    s = _WS.sub(" ", s).strip()
    for _ in range(3):
        s2 = _EMPTY_PAIRS.sub(" ", s)
        s2 = _WS.sub(" ", s2).strip()
        if s2 == s:
            break
        s = s2
    s = _NUMBERING.sub("", s)
    s = _SPACE_PUNCT.sub(r"\1", s)
    s = re.sub(r"([(\[«“„‘「『（《]) +", r"\1", s)
    s = re.sub(r"^[\s,.;:)\]]+", "", s)
    s = re.sub(r"\s+[,;:(]+$", "", s)
    s = unicodedata.normalize("NFC", s)
    return s.replace("\t", " ").strip()


def letters_sig(text):
    """Comparison key: the letters only, case-folded."""
    return "".join(ch for ch in text.casefold() if unicodedata.category(ch)[0] == "L")


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text):
    return _WORD.findall(text.casefold())


def trigrams(ws):
    return {(ws[i], ws[i + 1], ws[i + 2]) for i in range(len(ws) - 2)}


# Frequent English words that are not (frequent) words of the other languages here
# (no "a", "in", "is", "to", "of", "die", "was", "are", "or", "on", "be", "so", "me", nor
# loanwords such as "file", "package").
_EN_FUNCTION = set("""the and with this that you your which from will should have has been these
there their would into when what where does not can't don't doesn't it's if must also
only such than then they them other more any some all about""".split())
# Words that must not count when they are also frequent in the label's language.
_EN_NOT_FOR = {
    "nl": {"will", "have"}, "de": {"will", "also", "then"}, "da": {"then"}, "sv": {"then"},
    "it": {"more"}, "fr": {"then"}, "es": {"then"}, "pt": {"then"}, "ro": {"then"},
}
_LATIN_LABELS = {"en", "de", "fr", "es", "it", "pt", "pl", "nl", "cs", "sv", "tr", "vi", "id",
                 "da", "fi", "hu", "ro"}


def english_share(ws, label):
    """Share of the words that are English function words."""
    if not ws:
        return 0.0
    bad = _EN_NOT_FOR.get(label, ())
    n = sum(1 for w in ws if w in _EN_FUNCTION and w not in bad)
    return n / len(ws)


def latin_share(text):
    """Share of the letters that are basic Latin letters (A-Z, a-z)."""
    letters = [ch for ch in text if unicodedata.category(ch)[0] == "L"]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch < "\u0250") / len(letters)


def reads_english(text, label):
    """True when a paragraph of a translation reads as English: English function
    words (Latin-script languages), or mostly Latin letters with English
    function words (other scripts)."""
    ws = words(text)
    if label in _LATIN_LABELS:
        return len(ws) >= 4 and english_share(ws, label) >= 0.2
    if latin_share(text) < 0.75:
        return False
    lw = [w for w in ws if w.isascii()]
    return len(lw) >= 4 and english_share(lw, label) >= 0.1


def near_english(text, label, en_tri):
    """True when most word trigrams occur in the English manuals (Latin-script
    labels only: other scripts have untranslated runs of product names)."""
    if label not in _LATIN_LABELS:
        return False
    tg = trigrams(words(text))
    return len(tg) >= 2 and sum(1 for g in tg if g in en_tri) / len(tg) >= 0.5


_CODE_SYMBOLS = set("/\\{}[]<>=|$_~@#;*^%&`+")
_CODE_START = re.compile(r"^(?:[$#%>] |sudo |\.?/\w|~/|-{1,2}[A-Za-z])")
_IDENT = re.compile(r"[a-z]_[a-z]|\w\.\w+\.\w|^--?\w|^/\w|\w/\w+/|\w\(\)|\w::\w|^\$\w")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def code_like(text):
    """True for commands, paths, option lists and symbol soup."""
    nonspace = [ch for ch in text if not ch.isspace()]
    if not nonspace:
        return True
    letters = sum(1 for ch in nonspace if unicodedata.category(ch)[0] == "L")
    if letters < 2:
        return True
    digits = sum(1 for ch in nonspace if ch.isdigit())
    if letters / (len(nonspace) - digits) < 0.65:
        return True
    sym = sum(1 for ch in nonspace if ch in _CODE_SYMBOLS)
    if sym >= 3 and sym / len(nonspace) > 0.04:
        return True
    if _CODE_START.match(text):
        return True
    toks = text.split()
    nwords = len(toks) + len(_CJK.findall(text)) / 2
    ident = sum(1 for t in toks if _IDENT.search(t))
    return ident / nwords > 0.2


def manual_files(tree):
    """[(manual, lang, doc, path)] of the manuals' HTML files under tree that classify() knows,
    in a fixed order (directories and names sorted as os.walk meets them)."""
    files = []
    for root, dirs, names in os.walk(tree):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = os.path.join(root, name)
            c = classify(os.path.relpath(path, tree))
            if c:
                files.append(c + (path,))
    return files


# ---- main -------------------------------------------------------------------------------

def main(argv):
    if len(argv) != 3:
        print("usage: langid_docs.py TREE OUT.tsv", file=sys.stderr)
        return 2
    tree, out_path = argv[1], argv[2]
    files = sorted(manual_files(tree))  # (manual, lang, doc, path)
    if not files:
        print("langid_docs.py: no manuals found under %s" % tree, file=sys.stderr)
        return 1

    paras = {}  # (manual, lang, doc) -> [text]
    for manual, lang, doc, path in files:
        if lang not in LABELS:
            continue
        with open(path, "rb") as f:
            raw = f.read().decode("utf-8", errors="replace")
        texts = [clean(t) for t in html_paragraphs(raw)]
        paras.setdefault((manual, lang, doc), []).extend(t for t in texts if t)

    # The English originals: letters-only keys and word trigrams.
    en_sigs, en_tri = set(), set()
    for (manual, lang, doc), texts in paras.items():
        if lang == "en":
            for t in texts:
                s = letters_sig(t)
                if s:
                    en_sigs.add(s)
                en_tri |= trigrams(words(t))

    stats = {}  # label -> [kept, as_english, near_english, reads_english, code]
    lines = []
    dropped = []  # for LANGID_DEBUG=FILE: why each paragraph was dropped
    for key in sorted(paras):
        manual, lang, doc = key
        label = LABELS[lang]
        st = stats.setdefault(label, [0, 0, 0, 0, 0])
        doc_id = "doc:%s:%s:%s" % (manual, doc, lang)
        for t in paras[key]:
            if code_like(t):
                st[4] += 1
                dropped.append("code\t%s\t%s\n" % (doc_id, t))
                continue
            if label != "en":
                if letters_sig(t) in en_sigs:
                    st[1] += 1
                    dropped.append("=en\t%s\t%s\n" % (doc_id, t))
                    continue
                if near_english(t, label, en_tri):
                    st[2] += 1
                    dropped.append("~en\t%s\t%s\n" % (doc_id, t))
                    continue
                if reads_english(t, label):
                    st[3] += 1
                    dropped.append("reads-en\t%s\t%s\n" % (doc_id, t))
                    continue
            st[0] += 1
            lines.append("%s\t%s\t%s\n" % (label, doc_id, t))

    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    os.replace(tmp, out_path)
    if os.environ.get("LANGID_DEBUG"):
        with open(os.environ["LANGID_DEBUG"], "w", encoding="utf-8") as f:
            f.writelines(dropped)

    print("%-8s %7s %9s %8s %9s %6s" % ("label", "kept", "=english", "~english", "reads-en", "code"),
          file=sys.stderr)
    for label in sorted(stats):
        print("%-8s %7d %9d %8d %9d %6d" % ((label,) + tuple(stats[label])), file=sys.stderr)
    print("%-8s %7d" % ("total", len(lines)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
