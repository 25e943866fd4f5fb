#!/usr/bin/python3
"""langid_split.py OUTDIR TSV...

Combines the language-ID intermediates (LABEL <TAB> DOC_ID <TAB> TEXT, from
langid_man.py, langid_docs.sh, langid_ddtp.sh) into OUTDIR/train.txt,
valid.txt, test.txt, test-short.txt, fresh.txt, fresh-short.txt, train-short.txt
and valid-short.txt in fastText format
(`__label__LABEL text`). The source of a record is the DOC_ID's first field
(man, doc, ddtp). Standard library only; the same bytes on every run.

1. Normalise: NFC, control/separator characters and whitespace runs -> one
   space, leading list bullets dropped; texts longer than MAXLEN are split into
   sentences (and long sentences at clause marks, then at a blank).
2. Drop: < 4 letters; URLs, e-mail addresses, code/path/option-heavy texts;
   texts whose script does not fit the label; non-English texts that read as
   English (English function words vs the label's own); texts found under two
   labels (every copy); repeated texts (one kept).
3. Split by document: per label and source, the documents in the order of
   sha256(DOC_ID without its language field) -- so a page or package is in the
   same split in every language -- fill test until it has TEST_FRAC of the
   sentences, then valid (VALID_FRAC), the rest is train. No document gives
   text to two splits.
4. Cap per label (train TRAIN_CAP, valid VALID_CAP, test TEST_CAP) sharing the
   cap equally among the sources (a source with fewer gives the rest to the
   others); within a source the texts with the lowest sha256 are taken.
5. test-short.txt: from the test documents only; natural short texts first
   (headings, man NAME descriptions, short sentences: <= SHORT_MAX characters,
   <= SHORT_MAX_CJK for zh-Hans, zh-Hant, ja, ko), then prefixes of longer test
   sentences cut at a word boundary (CJK without spaces: a character prefix) to
   a length drawn (by sha256) from 10..32 (4..12 for CJK), up to SHORT_CAP.
6. fresh.txt, fresh-short.txt: a second held-out pair from the test documents'
   texts that steps 4 and 5 did not take, by the same rules (FRESH_CAP long
   texts, SHORT_CAP short ones per label); nothing in test.txt or test-short.txt.
7. train-short.txt: the natural short texts of the train documents that
   train.txt does not hold, up to TRAIN_SHORT_CAP per label (the environment
   variable TRAIN_SHORT_CAP overrides it, for experiments). valid-short.txt:
   from the valid documents by step 5's rules. Neither changes the files above.
8. Lines of each file in sha256 order of the line (shuffled, not by label).
"""

import collections
import hashlib
import math
import os
import re
import sys
import unicodedata

LABELS = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "de", "fr", "es", "it", "pt",
          "pl", "nl", "cs", "sv", "tr", "vi", "id", "el", "da", "fi", "hu", "ro"]
CJK_LABELS = {"zh-Hans", "zh-Hant", "ja", "ko"}
NOSPACE_LABELS = {"zh-Hans", "zh-Hant", "ja"}
LANG_FIELDS = set(LABELS) | {"zh_CN", "zh_TW", "zh-cn", "zh-tw", "zh_HK", "pt_BR", "pt-br",
                             "pt_PT", "zh", "pt-BR", "zh-CN", "zh-TW"}

MINLEN, MINLEN_CJK, MAXLEN = 20, 10, 300
SHORT_MAX, SHORT_MAX_CJK = 32, 12
TEST_FRAC, VALID_FRAC = 0.12, 0.06
TRAIN_CAP, VALID_CAP, TEST_CAP, SHORT_CAP = 8000, 500, 1000, 1000
FRESH_CAP = 1000
TRAIN_SHORT_CAP = int(os.environ.get("TRAIN_SHORT_CAP", "8000"))


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- text helpers

_WS = re.compile(r"\s+")


_ZW = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def one_line(text):
    """TEXT as one line: control and separator characters and whitespace runs
    become single spaces, invisible format characters (soft hyphen, zero-width
    space/joiners, BOM) are removed, "__label__" cannot occur."""
    text = _ZW.sub("", text)
    if not text.isprintable():
        chars = []
        for ch in text:
            if ch.isprintable():
                chars.append(ch)
            else:
                cat = unicodedata.category(ch)
                chars.append("\ufffd" if cat == "Cs" else " ")
        text = "".join(chars)
    s = _WS.sub(" ", text).strip()
    while "__label__" in s:
        s = s.replace("__label__", "label ")
    return s


_NONALNUM = re.compile(r"[\W_]+")


def norm_key(text):
    """Case, punctuation and blanks aside: the identity of a text."""
    return _NONALNUM.sub("", text.casefold())


_ABBREV = {
    "e.g", "i.e", "etc", "vs", "cf", "z.b", "d.h", "u.a", "bzw", "usw", "ggf", "vgl", "evtl",
    "inkl", "ca", "nr", "no", "s", "p", "pp", "bsp", "dr", "mr", "mrs", "st", "sog", "u.ä",
    "ex", "resp", "ang", "tj", "t.j", "np", "tzn", "itd", "itp", "m.in", "tj", "tzw", "np",
    "dvs", "bl.a", "t.ex", "osv", "mm", "jne", "esim", "ks", "vrt", "stb", "pl", "ill",
    "örn", "vb", "vs", "dll", "dsb", "mis", "ad", "sig", "ecc", "es", "ecc", "pag", "cca",
    "atd", "apod", "tzv", "př", "např", "resp", "т.е", "т.к", "т.д", "т.п", "др", "см",
    "напр", "т.зв", "див", "тощо", "д", "ст", "п", "бл", "κ.λπ", "π.χ", "κλπ", "vd", "ej",
    "sr", "sra", "pág", "núm", "v.g", "ou", "dvs", "ff", "fig", "vol", "approx", "incl",
    "vgl", "einschl", "e.v", "a.k.a", "ibid",
}
_SENT_END = re.compile(r"([.!?…]+)([\"”»’')\]]*)(\s+)")
_CJK_END = re.compile(r"([。！？]+[」』）”’]*)\s*")
_CLAUSE = re.compile(r"(?<=[;；:：,，、])\s*")


def _split_latin(text):
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        nxt = text[m.end():m.end() + 2]
        if not nxt:
            continue
        c = nxt[0]
        if c in "\"“«„(‘'¿¡" and len(nxt) > 1:
            c = nxt[1]
        if not (c.isupper() or c.isdigit() or (c.isalpha() and not c.islower())):
            continue
        if m.group(1) == ".":
            before = text[start:m.start()].rsplit(None, 1)
            word = before[-1].lower().lstrip("(\"'“«") if before else ""
            if (word in _ABBREV or len(word) == 1 or re.fullmatch(r"(?:\w\.)+\w?", word)
                    or word.isdigit()):
                continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _chunk(s, maxlen):
    """Cut a too-long sentence at clause marks, packing pieces up to maxlen;
    a piece still too long is cut at a blank (or hard, for CJK)."""
    if len(s) <= maxlen:
        return [s]
    pieces = [p for p in _CLAUSE.split(s) if p]
    out, cur = [], ""
    for p in pieces:
        while len(p) > maxlen:
            cut = p.rfind(" ", 0, maxlen)
            if cut < maxlen // 2:
                cut = maxlen
            if cur:
                out.append(cur)
                cur = ""
            out.append(p[:cut].strip())
            p = p[cut:].strip()
        sep = "" if (cur and _is_cjk_char(cur[-1])) else " "
        if cur and len(cur) + len(sep) + len(p) <= maxlen:
            cur = cur + sep + p
        else:
            if cur:
                out.append(cur)
            cur = p
    if cur:
        out.append(cur)
    return [o.strip() for o in out if o.strip()]


def _is_cjk_char(ch):
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xF900 <= o <= 0xFFEF or 0xAC00 <= o <= 0xD7AF


def split_sentences(text, maxlen=MAXLEN):
    """Sentences of a paragraph (CJK full stops, Latin/Cyrillic/Greek
    sentence ends before a capital, common abbreviations kept), each at most
    maxlen characters."""
    out = []
    for part in _CJK_END.sub(lambda m: m.group(1) + "\n", text).split("\n"):
        part = part.strip()
        if not part:
            continue
        for s in _split_latin(part):
            out.extend(_chunk(s, maxlen))
    return out


# ---------------------------------------------------------------- filters

_RANGES = {
    "latin": r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF",
    "cyr": r"\u0400-\u04FF",
    "greek": r"\u0370-\u03FF\u1F00-\u1FFF",
    "kana": r"\u3040-\u309F\u30A0-\u30FF\u31F0-\u31FF\uFF66-\uFF9F",
    "han": r"\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0002FFFF",
    "hangul": r"\uAC00-\uD7AF\u1100-\u11FF\u3130-\u318F",
}
_RX = {k: re.compile("[%s]" % v) for k, v in _RANGES.items()}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")


_VI = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9]")
_OTHER_THAN_LATIN = re.compile("[%s]" % "".join(
    _RANGES[k] for k in ("cyr", "greek", "kana", "han", "hangul")))


def count(script, text):
    return len(_RX[script].findall(text))


def script_ok(label, text, n):
    """Does the script of text fit the label? n: its number of letters."""
    if n < 4:
        return False
    if label in ("ru", "uk"):
        if count("cyr", text) < 0.6 * n:
            return False
        if label == "uk" and re.search("[ыэъёЫЭЪЁ]", text):
            return False
        if label == "ru" and re.search("[іїєґІЇЄҐ]", text):
            return False
        return True
    if label == "el":
        return count("greek", text) >= 0.6 * n
    kana = count("kana", text)
    if label == "ko":
        return kana == 0 and count("hangul", text) >= 0.5 * n
    if label == "ja":
        return kana >= 1 and count("hangul", text) == 0 and kana + count("han", text) >= 0.5 * n
    if label in ("zh-Hans", "zh-Hant"):
        return kana == 0 and count("hangul", text) == 0 and count("han", text) >= 0.5 * n
    # Latin-script labels
    if _OTHER_THAN_LATIN.search(text):
        return False
    if count("latin", text) < 0.95 * n:
        return False
    if label == "vi" and not _VI.search(text):
        return False
    return True


EN_WORDS = set("""the and of to is with for this that are be by from which it an or not can
will you your these those when if have has was were should must may used using use only any
such there their then than into been being does do how what where who its also each other
all more most some""".split())
OWN_WORDS = {
    "de": "der die das und ist nicht mit für von den dem des ein eine zu auf im wird werden sie es sich oder auch bei wenn als nur an was will in so",
    "fr": "le la les et est un une des du de pour dans que qui pas sur avec par ce sont être ou au aux en il elle",
    "es": "el la los las y es un una de del para en que con por se no lo al son como o su",
    "it": "il lo la le gli i e è un una di del della per in che con non si sono da al o file",
    "pt": "o a os as e é um uma de do da para em que com não se por são ao ou no na",
    "pl": "i w z na się jest nie do że to jak lub oraz dla przez od po są być jeśli",
    "nl": "de het een en is van in op te dat die niet met voor zijn wordt worden als of door",
    "cs": "a je v na se že to s z pro do jako nebo není jsou být by k o při",
    "sv": "och att är en ett det som på för med av till inte kan om den de har eller",
    "tr": "ve bir bu için ile da de olarak olan değil veya gibi daha çok ne her",
    "vi": "và là của các có được không trong một cho với những này để khi thì",
    "id": "dan yang di ini itu untuk dengan dari ke tidak akan adalah atau pada dalam jika",
    "da": "og at er en et det som på for med af til ikke kan om den de har eller",
    "fi": "ja on ei se että tai kun jos ovat oli voi kanssa myös mutta joka",
    "hu": "a az és is nem egy hogy van meg csak ha vagy mint ki be el",
    "ro": "și în de la cu nu este o un pe care se sau pentru din a ca mai",
}
OWN_WORDS = {k: set(v.split()) for k, v in OWN_WORDS.items()}


def reads_english(label, text):
    """A non-English Latin-script text that reads as English."""
    if label == "en" or label not in OWN_WORDS:
        return False
    ws = [w.lower() for w in _WORD.findall(text)]
    if not ws:
        return False
    own = OWN_WORDS[label]
    en = sum(1 for w in ws if w in EN_WORDS and w not in own)
    mine = sum(1 for w in ws if w in own and w not in EN_WORDS)
    if en >= 3 and en > mine:
        return True
    if en >= 2 and mine == 0 and en >= 0.2 * len(ws):
        return True
    if len(ws) <= 4 and en >= 1 and mine == 0 and en >= 0.34 * len(ws):
        return True
    return False


_CLAUSE_SEP = re.compile(r"[,;:()\[\]\"“”«»„‚‘’]|[.!?](?:\s|$)| [-–—] ")


class EnglishVocab:
    """Word frequencies per label (of the texts kept so far); a Latin-script
    text, or a clause of 5+ words in it, reads as English when its words are
    on the whole far more frequent in English than in the label: a naive
    Bayes log-likelihood ratio (add-0.5 smoothing) summing to > 6 with a
    mean > 1 per word."""

    def __init__(self, recs, labels=None):
        # labels: the labels checked (default: those of OWN_WORDS; langid_world.py
        # passes every Latin-script label)
        self.labels = set(OWN_WORDS) if labels is None else set(labels)
        self.freq = collections.defaultdict(collections.Counter)
        for label, _, t, _ in recs:
            if label == "en" or label in self.labels:
                self.freq[label].update(w for w in _WORD.findall(t.lower()) if len(w) >= 2)
        self.total = {k: sum(v.values()) + 1 for k, v in self.freq.items()}
        self.cache = {}

    def _llr(self, label, w):
        key = (label, w)
        v = self.cache.get(key)
        if v is None:
            pe = (self.freq["en"][w] + 0.5) / self.total["en"]
            pl = (self.freq[label][w] + 0.5) / self.total[label]
            v = self.cache[key] = math.log(pe / pl)
        return v

    def _english(self, label, ws, minwords):
        if len(ws) < minwords:
            return False
        s = sum(self._llr(label, w) for w in ws)
        return s > 6 and s > 1.0 * len(ws)

    def reads_english(self, label, text):
        if label == "en" or label not in self.labels or "en" not in self.freq:
            return False
        low = text.lower()
        ws = [w for w in _WORD.findall(low) if len(w) >= 2]
        if self._english(label, ws, 2):
            return True
        if len(ws) >= 10:
            for clause in _CLAUSE_SEP.split(low):
                cw = [w for w in _WORD.findall(clause) if len(w) >= 2]
                if self._english(label, cw, 5):
                    return True
        return False


_URL = re.compile(r"(?:https?|ftp)://|www\.|\S@\S+\.[a-z]|mailto:|&[a-z]+;|&#\d+;",
                  re.IGNORECASE)
_CODE_CHARS = re.compile(r"[{}\[\]<>|\\=$#_*^~`@&%]")
_STRICT_CHARS = re.compile(r"[{}\[\]<>|\\=$#_*^~`@&%/;]|\.\w|\w\(|^[-.]|\w:\w|\w\s\(\d")
_PATHTOK = re.compile(r"(?:^|[\s(\"'])[~.]*/[\w.-]+|\w/\w+/")
_OPTTOK = re.compile(r"(?:^|[\s(\[\"'])--?[A-Za-z0-9]")
_FUNCTOK = re.compile(r"\w\((?:\d\w*)?\)")
_MACROTOK = re.compile(r"(?:^|\s)\.[A-Za-z]{1,3}\b|\w=(?:\s|$)")
_IDENT = re.compile(r"\b(?:[a-z]+[A-Z]\w*|\w+_\w+|[A-Z]{2,}\d+|\w+\.\w+\.\w+|\w+\.(?:c|h|so|conf|py|sh|txt|gz|d))\b")
_DIGITS = re.compile(r"\d")
# a text without any of these is not code-like (fast path)
_SUSPECT = re.compile(r"[{}\[\]<>|\\=$#_*^~`@&%/()\d]|--?\w|\.\w|\b[a-z]+[A-Z]|[^\w\s,.;:!?'\"«»„“”‘’«»‹›、。，；：！？（）「」『』・…—–-]")


def code_like(text, strict=False):
    """URLs, e-mail addresses, HTML entities, code/path/option-heavy text;
    strict (for short texts): any code-like character at all."""
    if _URL.search(text):
        return True
    if strict and _STRICT_CHARS.search(text):
        return True
    if not _SUSPECT.search(text):
        return False
    n = len(text)
    letters = len(_LETTER.findall(text))
    if letters < 0.55 * len(text.replace(" ", "")):
        return True
    score = (len(_CODE_CHARS.findall(text)) + 2 * len(_PATHTOK.findall(text))
             + 2 * len(_OPTTOK.findall(text)) + 2 * len(_FUNCTOK.findall(text))
             + 2 * len(_MACROTOK.findall(text)) + len(_IDENT.findall(text)))
    if text.count("(") != text.count(")"):
        score += 1
    if score >= 6 or score > 0.03 * n + 1:
        return True
    if len(_DIGITS.findall(text)) > 0.2 * n:
        return True
    return False


_BULLET = re.compile(r"^(?:[•·\-–—*+o>]\s+|\(?[0-9a-z]{1,2}[.)]\s+)")
_LEAD_PUNCT = re.compile(r"^[\s,.;:!?)\]}）】」』〉》，。；：、！？]+")
_CJK = "\u3000-\u303F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF"
_CJK_SPACE = re.compile("(?<=[%s]) (?=[%s])" % (_CJK, _CJK))


def normalise(text, label):
    t = one_line(unicodedata.normalize("NFC", text))
    t = _BULLET.sub("", t).strip()
    t = _LEAD_PUNCT.sub("", t)  # ")，also ..." left over where markup was cut out
    if label in NOSPACE_LABELS:  # "本 手册页 不讨论" (old translations) -> "本手册页不讨论"
        t = _CJK_SPACE.sub("", t)
    return t


def short_max(label):
    return SHORT_MAX_CJK if label in CJK_LABELS else SHORT_MAX


def doc_key(docid):
    return ":".join(p for p in docid.split(":") if p not in LANG_FIELDS)


# ---------------------------------------------------------------- selection

def fair_take(groups, cap):
    """groups: {source: [items sorted]}; take up to cap items, equal shares
    per source (water-filling), the first items of each list."""
    srcs = sorted(groups)
    take = {s: 0 for s in srcs}
    left = cap
    active = [s for s in srcs if groups[s]]
    while left > 0 and active:
        share = max(1, left // len(active))
        nxt = []
        for s in active:
            if left <= 0:
                break
            room = len(groups[s]) - take[s]
            k = min(share, room, left)
            take[s] += k
            left -= k
            if take[s] < len(groups[s]):
                nxt.append(s)
        active = nxt
    out = []
    for s in srcs:
        out.extend(groups[s][:take[s]])
    return out, take


_CUT_TRAIL = re.compile(r"[\s,;:(\[\"“«„'‘\-–—/、，；：（]+$")


_HIRA = re.compile("[\u3040-\u309F]")
_KATA = re.compile("[\u30A0-\u30FF\u31F0-\u31FF\uFF66-\uFF9F]")
_ALNUM_ASCII = re.compile("[A-Za-z0-9]")
_PUNCT_CJK = set("、。，；：！？）」』】〉》”’,.;:!?) ")


def _cjk_cut(label, text, n):
    """A prefix of text of at most n characters ending at a plausible
    boundary: after CJK punctuation or a blank, else (ja) after hiragana
    followed by kanji/katakana/Latin, else (Chinese only) anywhere that
    does not split a Latin word."""
    best = {0: 0, 1: 0, 2: 0}
    for p in range(2, min(n, len(text) - 1) + 1):
        a, b = text[p - 1], text[p]
        if _ALNUM_ASCII.match(a) and _ALNUM_ASCII.match(b):
            continue
        if _KATA.match(a) and _KATA.match(b):
            continue
        if a in _PUNCT_CJK or b == " ":
            best[0] = p
        elif label == "ja" and _HIRA.match(a) and not _HIRA.match(b):
            best[1] = p
        elif label != "ja":  # Chinese: any other boundary; Japanese: not inside a word
            best[2] = p
    for k in (0, 1, 2):
        if best[k] >= max(4, n - 4):
            return text[:best[k]]
    p = max(best.values())
    return text[:p] if p >= 4 else None


def short_prefix(label, text):
    """A prefix of a longer test sentence, cut to a length drawn by sha256:
    10..32 characters at a blank (ko: 4..12), CJK without blanks: 4..12
    characters at a plausible boundary; trailing punctuation dropped."""
    h = int(sha("short\n" + text)[:8], 16)
    if label in NOSPACE_LABELS:
        n = 4 + h % 9  # 4..12
        p = _cjk_cut(label, text, n)
        if p is None:
            return None
    else:
        limit = SHORT_MAX_CJK if label in CJK_LABELS else SHORT_MAX
        lo = 4 if label in CJK_LABELS else 10
        n = lo + h % (limit - lo + 1)
        if len(text) <= n:
            return None
        cut = text.rfind(" ", 0, n + 1)
        if cut <= 0:
            return None
        p = text[:cut]
    p = _CUT_TRAIL.sub("", p).strip()
    if p == text:
        return None
    return p


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: langid_split.py OUTDIR TSV...")
    outdir, tsvs = argv[1], argv[2:]
    labelset = set(LABELS)
    stats = collections.defaultdict(collections.Counter)  # (label) -> reason counts
    recs = []  # (label, docid, text)
    for path in tsvs:
        with open(path, encoding="utf-8", errors="replace", newline="\n") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3 or parts[0] not in labelset:
                    stats["?"]["malformed"] += 1
                    continue
                label, docid, text = parts
                text = normalise(text, label)
                pieces = split_sentences(text) if len(text) > MAXLEN else [text]
                for t in pieces:
                    recs.append((label, docid, t))

    # the same text under the same label: one record (the lowest sha256 of
    # DOC_ID + text), as the filters depend on the label and text only
    uniq = {}
    for label, docid, t in recs:
        rank = sha(docid + "\n" + t)
        key = (label, t)
        old = uniq.get(key)
        if old is not None:
            stats[label]["repeat"] += 1
            if old[0] <= rank:
                continue
        uniq[key] = (rank, docid)
    del recs

    # filters
    kept = []
    for (label, t), (rank, docid) in uniq.items():
        n = len(_LETTER.findall(t))
        if n < 4:
            stats[label]["few-letters"] += 1
        elif code_like(t, strict=len(t) <= short_max(label)):
            stats[label]["code"] += 1
        elif not script_ok(label, t, n):
            stats[label]["script"] += 1
        elif reads_english(label, t):
            stats[label]["reads-en"] += 1
        else:
            kept.append((label, docid, t, rank))
    del uniq

    # English by vocabulary (Latin-script labels): word frequencies of the
    # kept texts of each label vs English
    vocab = EnglishVocab(kept)
    kept2 = []
    for rec in kept:
        if vocab.reads_english(rec[0], rec[2]):
            stats[rec[0]]["en-vocab"] += 1
        else:
            kept2.append(rec)
    kept = kept2
    del kept2

    # texts under two labels: drop every copy; repeats: keep one
    labels_of = collections.defaultdict(set)
    for label, docid, t, rank in kept:
        labels_of[norm_key(t)].add(label)
    best = {}
    for label, docid, t, rank in kept:
        k = norm_key(t)
        if len(labels_of[k]) > 1:
            stats[label]["two-labels"] += 1
            continue
        if k in best:
            stats[label]["repeat"] += 1
            if rank >= best[k][0]:
                continue
        best[k] = (rank, label, docid, docid.split(":", 1)[0], t)
    del kept, labels_of

    # by label -> source -> doc -> texts
    tree = collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(list)))
    for k in best:
        _, label, docid, src, t = best[k]
        tree[label][src][docid].append(t)

    def is_long(label, t):
        return (MINLEN_CJK if label in CJK_LABELS else MINLEN) <= len(t) <= MAXLEN

    def is_short(label, t):
        return len(t) <= (SHORT_MAX_CJK if label in CJK_LABELS else SHORT_MAX)

    files = {"train": [], "valid": [], "test": [], "test-short": []}
    counts = collections.defaultdict(collections.Counter)  # file -> label -> n
    srccounts = collections.defaultdict(collections.Counter)  # (file,label) -> src -> n
    avail = collections.defaultdict(collections.Counter)
    trainvalid_keys = set()
    train_doc_keys = set()
    short_pool = {}
    train_all_of = {}   # label -> {source: every text of its train documents}
    valid_pool = {}     # label -> (every text, long texts) of its valid documents, by source
    for label in LABELS:
        split_src = {"train": {}, "valid": {}, "test": {}}
        test_all = collections.defaultdict(list)
        train_all = collections.defaultdict(list)
        valid_all = collections.defaultdict(list)
        for src in sorted(tree[label]):
            docs = tree[label][src]
            order = sorted(docs, key=lambda d: (sha(doc_key(d)), d))
            total = sum(1 for d in docs for t in docs[d] if is_long(label, t))
            parts = {"train": [], "valid": [], "test": []}
            nt = nv = 0
            for d in order:
                longs = [t for t in docs[d] if is_long(label, t)]
                if nt < TEST_FRAC * total:
                    parts["test"].extend(longs)
                    nt += len(longs)
                    test_all[src].extend(docs[d])
                elif nv < VALID_FRAC * total:
                    parts["valid"].extend(longs)
                    nv += len(longs)
                    trainvalid_keys.update(norm_key(t) for t in docs[d])
                    valid_all[src].extend(docs[d])
                else:
                    parts["train"].extend(longs)
                    keys = {norm_key(t) for t in docs[d]}
                    trainvalid_keys |= keys
                    train_doc_keys |= keys
                    train_all[src].extend(docs[d])
            for sp in parts:
                split_src[sp][src] = sorted(parts[sp], key=lambda t: (sha(t), t))
                avail[(sp, label)][src] = len(parts[sp])
        for sp, cap in (("train", TRAIN_CAP), ("valid", VALID_CAP), ("test", TEST_CAP)):
            chosen, take = fair_take(split_src[sp], cap)
            files[sp].extend((label, t) for t in chosen)
            counts[sp][label] = len(chosen)
            srccounts[(sp, label)] = collections.Counter(take)
        short_pool[label] = (test_all, split_src["test"])
        train_all_of[label] = train_all
        valid_pool[label] = (valid_all, split_src["valid"])

    def naturals(label, by_src):
        """{source: the natural short texts among by_src[source], distinct, in sha256 order}."""
        return {src: sorted({t for t in by_src[src] if is_short(label, t)},
                            key=lambda t: (sha(t), t)) for src in sorted(by_src)}

    def prefixes(label, texts):
        """The short_prefix of each text that passes the filters, in order."""
        out = []
        for t in texts:
            p = short_prefix(label, t)
            if p is None:
                continue
            n = len(_LETTER.findall(p))
            if (n < 4 or code_like(p, strict=True)
                    or not script_ok(label, p, n) or reads_english(label, p)
                    or vocab.reads_english(label, p)):
                continue
            out.append(p)
        return out

    def short_candidates(pools):
        """The short-text candidates of each label, from pools {label: (all texts by source, long
        texts by source)}: ({label: (natural short texts, prefixes of the long texts)}, each
        {source: texts}), and {norm_key: the labels whose candidates hold it}."""
        cand, labels_of = {}, collections.defaultdict(set)
        for label in LABELS:
            all_by_src, long_by_src = pools[label]
            nat = naturals(label, all_by_src)
            cut = {src: prefixes(label, long_by_src[src]) for src in sorted(long_by_src)}
            cand[label] = (nat, cut)
            for lists in (nat, cut):
                for src in lists:
                    for t in lists[src]:
                        labels_of[norm_key(t)].add(label)
        return cand, labels_of

    def take_short(nat, cut, ok, seen):
        """Up to SHORT_CAP short texts: the natural ones (nat: {source: texts}) first, then
        prefixes (cut: {source: texts}), fairly among sources; a text is usable when ok(its
        norm_key) and the key is not yet in seen (which this updates)."""
        groups = {}
        for kind, lists in (("nat", nat), ("cut", cut)):
            groups[kind] = {}
            for src in sorted(lists):
                groups[kind][src] = []
                for t in lists[src]:
                    k = norm_key(t)
                    if ok(k) and k not in seen:
                        groups[kind][src].append(t)
                        seen.add(k)
        chosen_nat, _ = fair_take(groups["nat"], SHORT_CAP)
        chosen_cut, _ = fair_take(groups["cut"], SHORT_CAP - len(chosen_nat))
        return chosen_nat, chosen_cut

    # test-short: natural short texts of the test documents, then prefixes
    cand, short_labels = short_candidates(short_pool)
    for label in LABELS:
        nat, cut = cand[label]
        seen = set()

        def usable(t):
            k = norm_key(t)
            return len(short_labels[k]) == 1 and k not in trainvalid_keys and k not in seen

        natl = {}
        for src in nat:
            natl[src] = []
            for t in nat[src]:
                if usable(t):
                    natl[src].append(t)
                    seen.add(norm_key(t))
        chosen_nat, take_nat = fair_take(natl, SHORT_CAP)
        seen = {norm_key(t) for t in chosen_nat}
        cutl = {}
        for src in cut:
            cutl[src] = []
            for t in cut[src]:
                if usable(t):
                    cutl[src].append(t)
                    seen.add(norm_key(t))
        chosen_cut, take_cut = fair_take(cutl, SHORT_CAP - len(chosen_nat))
        files["test-short"].extend((label, t) for t in chosen_nat + chosen_cut)
        counts["test-short"][label] = len(chosen_nat) + len(chosen_cut)
        counts["test-short-natural"][label] = len(chosen_nat)
        srccounts[("test-short", label)] = collections.Counter(take_nat) + collections.Counter(take_cut)

    # fresh.txt, fresh-short.txt: a second held-out pair, from the texts of the test documents
    # that test.txt and test-short.txt did not take (the caps leave most of them unused for the
    # large labels), by the same rules: long texts up to FRESH_CAP; natural short texts, then
    # prefixes of the fresh long texts, up to SHORT_CAP. No text (case, punctuation and blanks
    # aside) is in test.txt or test-short.txt. Added after the shipped language model's
    # settings were fixed, so that it can be measured on text nobody had looked at.
    evaluated = {norm_key(t) for sp in ("test", "test-short") for _, t in files[sp]}
    files["fresh"], files["fresh-short"] = [], []
    for label in LABELS:
        test_long = short_pool[label][1]
        took = srccounts[("test", label)]
        rest = {src: [t for t in test_long[src][took[src]:] if norm_key(t) not in evaluated]
                for src in sorted(test_long)}
        chosen, take = fair_take(rest, FRESH_CAP)
        files["fresh"].extend((label, t) for t in chosen)
        counts["fresh"][label] = len(chosen)
        chosen_nat, chosen_cut = take_short(
            cand[label][0], {src: prefixes(label, rest[src][:take[src]]) for src in rest},
            lambda k: len(short_labels[k]) == 1 and k not in trainvalid_keys, set(evaluated))
        files["fresh-short"].extend((label, t) for t in chosen_nat + chosen_cut)
        counts["fresh-short"][label] = len(chosen_nat) + len(chosen_cut)
        counts["fresh-short-natural"][label] = len(chosen_nat)

    # train-short.txt: the natural short texts of the train documents (headings, NAME lines,
    # short package descriptions) that train.txt does not hold, up to TRAIN_SHORT_CAP per
    # label: train.txt takes texts of MINLEN characters or more only, so without them the
    # model never saw a whole short text of the kind test-short.txt holds.
    # valid-short.txt: from the valid documents by test-short.txt's rules (natural short
    # texts, then prefixes of the valid documents' long texts), for choosing a model on short
    # text of the held-out kind. Both added after fresh*.txt; the files above are unchanged.
    train_keys = {norm_key(t) for _, t in files["train"]}
    heldout = evaluated | {norm_key(t) for sp in ("fresh", "fresh-short") for _, t in files[sp]}
    files["train-short"], files["valid-short"] = [], []
    for label in LABELS:
        groups = {src: [t for t in ts if norm_key(t) not in train_keys]
                  for src, ts in naturals(label, train_all_of[label]).items()}
        chosen, _ = fair_take(groups, TRAIN_SHORT_CAP)
        files["train-short"].extend((label, t) for t in chosen)
        counts["train-short"][label] = len(chosen)
    vcand, vlabels = short_candidates(valid_pool)
    for label in LABELS:
        nat, cut = vcand[label]
        # not a text of a train document (a prefix may coincide with one)
        chosen_nat, chosen_cut = take_short(
            nat, cut, lambda k: (len(vlabels[k]) == 1 and k not in heldout
                                 and k not in train_doc_keys), set())
        files["valid-short"].extend((label, t) for t in chosen_nat + chosen_cut)
        counts["valid-short"][label] = len(chosen_nat) + len(chosen_cut)
        counts["valid-short-natural"][label] = len(chosen_nat)

    os.makedirs(outdir, exist_ok=True)
    for name, items in files.items():
        lines = ["__label__%s %s\n" % (label, t) for label, t in items]
        lines.sort(key=lambda s: (sha(s), s))
        with open(os.path.join(outdir, name + ".txt"), "w", encoding="utf-8",
                  newline="\n") as f:
            f.writelines(lines)

    # report
    srcs = sorted({s for key in srccounts for s in srccounts[key]})
    print("dropped (label: reason count ...):")
    for label in LABELS + ["?"]:
        if stats[label]:
            print("  %-8s %s" % (label, " ".join("%s %d" % kv for kv in sorted(stats[label].items()))))
    print("%-8s %7s %7s %7s %7s %9s   %s" % ("label", "train", "valid", "test", "t-short",
                                              "(natural)", "train/test by source " + "/".join(srcs)))
    tot = collections.Counter()
    for label in LABELS:
        row = [counts[f][label] for f in ("train", "valid", "test", "test-short",
                                           "test-short-natural")]
        for f, n in zip(("train", "valid", "test", "test-short", "nat"), row):
            tot[f] += n
        bysrc = " ".join("%s:%d/%d" % (s, srccounts[("train", label)][s],
                                       srccounts[("test", label)][s])
                         for s in srcs if srccounts[("train", label)][s] or srccounts[("test", label)][s])
        print("%-8s %7d %7d %7d %7d %9d   %s" % ((label,) + tuple(row) + (bysrc,)))
    print("%-8s %7d %7d %7d %7d %9d" % ("total", tot["train"], tot["valid"], tot["test"],
                                        tot["test-short"], tot["nat"]))
    print("fresh / fresh-short (natural): " + " ".join(
        "%s:%d/%d(%d)" % (label, counts["fresh"][label], counts["fresh-short"][label],
                          counts["fresh-short-natural"][label]) for label in LABELS))
    print("fresh total %d, fresh-short total %d" % (sum(counts["fresh"].values()),
                                                    sum(counts["fresh-short"].values())))
    print("train-short / valid-short (natural): " + " ".join(
        "%s:%d/%d(%d)" % (label, counts["train-short"][label], counts["valid-short"][label],
                          counts["valid-short-natural"][label]) for label in LABELS))
    print("train-short total %d, valid-short total %d" % (sum(counts["train-short"].values()),
                                                          sum(counts["valid-short"].values())))


if __name__ == "__main__":
    main(sys.argv)
