#!/usr/bin/python3
"""Helpers shared by the data scripts: HTML to text, one-line documents,
fastText-format lines, the count check and file digests. Standard library only."""

import hashlib
import html
import html.parser
import re
import sys
import unicodedata

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select",
    "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "body", "head", "html",
}
_SKIP_TAGS = {"script", "style"}  # not head: spam often leaves it unclosed


class _TextExtractor(html.parser.HTMLParser):
    """Collects the text of an HTML document: no tags, no comments, no
    script/style/head content; entities decoded; block tags become spaces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "body":  # an unclosed <script>/<style> must not hide the body
            self.skip = 0
        if tag in _BLOCK_TAGS or tag == "img":
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS or tag == "img":
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(text):
    """The visible text of an HTML fragment or document."""
    p = _TextExtractor()
    try:
        p.feed(text)
        p.close()
    except Exception:  # html.parser is lenient; never lose a document over it
        return html.unescape(re.sub(r"<[^<>]*>", " ", text))
    return "".join(p.parts)


_LOOKS_HTML = re.compile(
    r"<\s*(html|body|head|table|font|div|p|br|a\s+href|img|center|td|tr|b|i|span)\b[^<>]*>",
    re.IGNORECASE)


def looks_like_html(text):
    """True when undeclared text is clearly HTML (several tags)."""
    return len(_LOOKS_HTML.findall(text, 0, 20000)) >= 3


_WS = re.compile(r"\s+")


def one_line(text, prefix="__label__"):
    """TEXT as one line for fastText format: control and format characters
    and every kind of whitespace/line break become single spaces, and the
    label prefix cannot occur inside it (it would read as a second label)."""
    chars = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp", "Zs") or ch == "\ufeff":
            chars.append(" ")
        elif cat == "Cs":  # lone surrogate: undecodable byte that slipped through
            chars.append("\ufffd")
        else:
            chars.append(ch)
    s = _WS.sub(" ", "".join(chars)).strip()
    while prefix and prefix in s:
        s = s.replace(prefix, prefix.strip("_") + " ")
    return s


def fasttext_line(label, text):
    return "__label__%s %s\n" % (label, text)


def write_lines(path, lines):
    """Write lines as UTF-8 with LF endings (bytes independent of the locale)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)


def check_counts(name, got, expected):
    """Print per-class counts and compare with the documented ones; returns
    True when they all match."""
    ok = True
    for key in sorted(set(got) | set(expected)):
        g, e = got.get(key, 0), expected.get(key)
        mark = "ok" if g == e else "MISMATCH (expected %s)" % e
        if g != e:
            ok = False
        print("%s: %-28s %6d  %s" % (name, key, g, mark))
    return ok


def die(msg):
    print("%s: %s" % (sys.argv[0].rsplit("/", 1)[-1], msg), file=sys.stderr)
    sys.exit(1)


def sha256_file(path):
    """The SHA-256 of a file's bytes, as hex (the pins of the downloaded packages)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def interleave(queues, cap):
    """At most cap items taken from the lists queues in turn: the first of each, then the
    second of each, and so on (a list that runs out is passed over), so that no list fills the
    cap alone while another still has items."""
    out, i = [], 0
    while len(out) < cap and any(i < len(q) for q in queues):
        for q in queues:
            if i < len(q) and len(out) < cap:
                out.append(q[i])
        i += 1
    return out
