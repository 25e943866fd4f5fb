#!/usr/bin/python3
"""Inventory of the language-ID training text the allowed sources can give.

usage: langid_inventory.py pin DEBDIR GROUP PATTERN...   > pins (stdout)
       langid_inventory.py count SOURCE RAWDIR PINS OUT.tsv
       langid_inventory.py table RESULTDIR PINS > langid_inventory.md

Issue 20 (>= 100 languages) needs to know, per language, how much text each
source of shared/DATA.md allows for training. `count` reads one source's
pinned downloads (the .deb files straight from RAWDIR/debs with `dpkg-deb
--fsys-tarfile`, nothing unpacked on disk except Tesseract's traineddata;
the DDTP indexes from RAWDIR/ddtp-lists) and writes OUT.tsv:

    SOURCE <TAB> LABEL <TAB> LOCALES <TAB> SCRIPT <TAB> N <TAB> CHARS <TAB> SAME_AS_EN <TAB> RAW

running-text sources: N = distinct sentences of >= 20 characters (the
texts split into sentences by langid_split.split_sentences; "distinct" =
langid_split.norm_key: case, punctuation and blanks aside), CHARS their
total length, SAME_AS_EN = strings dropped because they equal (norm_key) a
string of the same source's English text (or, under a label whose main
script is not Latin, are mostly Latin letters), RAW = strings read before any
filter. Word lists: N = distinct words (case-folded), CHARS their total
length. Several locales of one label (pt-BR + pt-PT, es-ES + es-AR ...) are
merged into one row (LOCALES lists them).

`table` combines RESULTDIR/*.tsv into the Markdown table (per language and
per source). Standard library only, deterministic output. The locale ->
label mapping is LABEL_OF below (BCP 47, shortest ISO 639 code; script
subtags only for zh-Hans/zh-Hant and sr-Cyrl/sr-Latn).

What is cleaned before counting (only so that the counts mean text, not a
training-grade cleaning): Fluent placeables ({ $var }, { -brand-name },
select expressions -> their default variant), .properties placeholders (%S,
%1$S, %d, #1, $NAME$), markup tags, HTML entities, & accelerators,
accesskey/commandkey attributes, CSS-like values; DDTP, man pages and the
Debian manuals use the existing extractors' cleaning (langid_ddtp.py,
langid_man.py via roff_text.py, langid_docs.py) minus langid_split.py's
script and English checks.
"""

import collections
import hashlib
import html
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from langid_split import norm_key, split_sentences  # noqa: E402
from textutil import sha256_file  # noqa: E402

MINLEN = 20

# ------------------------------------------------------------------ labels

# Canonical BCP 47 label of a source's locale code (lower case, '-' or '_',
# region or variant dropped unless listed). Codes not listed map to their
# language part (the part before the first '-'/'_'/'@').
LABEL_OF = {
    "zh-cn": "zh-Hans", "zh_cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans": "zh-Hans",
    "zh": "zh-Hans",  # CLDR zh = Simplified
    "zh-tw": "zh-Hant", "zh_tw": "zh-Hant", "zh-hk": "zh-Hant", "zh_hk": "zh-Hant",
    "zh-hant": "zh-Hant", "chi-sim": "zh-Hans", "chi-tra": "zh-Hant",
    # Serbian: Mozilla's, Debian's (DDTP, manpages-sr) and hunspell's plain sr is Cyrillic;
    # Latin only where the code says so (sr-Latn, sr@latin, srp-latn, sr_Latn).
    "sr": "sr-Cyrl", "sr-cyrl": "sr-Cyrl", "sr_cyrl": "sr-Cyrl", "srp": "sr-Cyrl",
    "sr-latn": "sr-Latn", "sr_latn": "sr-Latn", "sr@latin": "sr-Latn", "srp-latn": "sr-Latn",
    "sr-latn-rs": "sr-Latn", "sr-latn-ba": "sr-Latn", "sr-latn-me": "sr-Latn",
    "sr-latn-xk": "sr-Latn", "sr-cyrl-rs": "sr-Cyrl", "sr-cyrl-ba": "sr-Cyrl",
    "sr-cyrl-me": "sr-Cyrl", "sr-cyrl-xk": "sr-Cyrl",
    # Norwegian: "no" (hunspell, aspell, tesseract nor) is Bokmål in practice
    "no": "nb", "nor": "nb", "nb-no": "nb", "nn-no": "nn",
    # Tesseract's ISO 639-2/3 codes
    "afr": "af", "amh": "am", "ara": "ar", "asm": "as", "aze": "az", "aze-cyrl": "az-Cyrl",
    "bel": "be", "ben": "bn", "bod": "bo", "bos": "bs", "bre": "br", "bul": "bg",
    "cat": "ca", "ceb": "ceb", "ces": "cs", "chr": "chr", "cos": "co", "cym": "cy",
    "dan": "da", "deu": "de", "div": "dv", "dzo": "dz", "ell": "el", "eng": "en",
    "enm": "enm", "epo": "eo", "est": "et", "eus": "eu", "fao": "fo", "fas": "fa",
    "fil": "tl", "fin": "fi", "fra": "fr", "frk": "de-frak", "frm": "frm", "fry": "fy",
    "gla": "gd", "gle": "ga", "glg": "gl", "grc": "grc", "guj": "gu", "hat": "ht",
    "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy", "iku": "iu",
    "ind": "id", "isl": "is", "ita": "it", "ita-old": "it-old", "jav": "jv", "jpn": "ja",
    "kan": "kn", "kat": "ka", "kat-old": "ka-old", "kaz": "kk", "khm": "km", "kir": "ky",
    "kmr": "ku", "kor": "ko", "lao": "lo", "lat": "la", "lav": "lv", "lit": "lt",
    "ltz": "lb", "mal": "ml", "mar": "mr", "mkd": "mk", "mlt": "mt", "mon": "mn",
    "mri": "mi", "msa": "ms", "mya": "my", "nep": "ne", "nld": "nl", "oci": "oc",
    "ori": "or", "pan": "pa", "pol": "pl", "por": "pt", "pus": "ps", "que": "qu",
    "ron": "ro", "rus": "ru", "san": "sa", "sin": "si", "slk": "sk", "slv": "sl",
    "snd": "sd", "spa": "es", "spa-old": "es-old", "sqi": "sq", "sun": "su", "swa": "sw",
    "swe": "sv", "syr": "syr", "tam": "ta", "tat": "tt", "tel": "te", "tgk": "tg",
    "tha": "th", "tir": "ti", "ton": "to", "tur": "tr", "uig": "ug", "ukr": "uk",
    "urd": "ur", "uzb": "uz", "uzb-cyrl": "uz-Cyrl", "vie": "vi", "yid": "yi", "yor": "yo",
    # Kurdish: kmr (Kurmanji, Latin) is what hunspell-kmr / aspell-ku hold
    "kmr-latn": "ku",
    # Filipino = Tagalog (one label)
    "fil-ph": "tl",
    # Mozilla/LibreOffice forms with a script or variant that stay one label
    "ca-valencia": "ca", "gl-es": "gl", "de-1901": "de", "el-gr": "el",
    "fr-classical": "fr", "fr-comprehensive": "fr", "fr-revised": "fr", "fr-gut": "fr",
    "gug": "gn",  # LibreOffice's Paraguayan Guaraní
    "eo-cx7": None,  # eo in the x-system transliteration: not text
    "gl-minimos": "gl", "ar-large": "ar", "de-med": None, "en-med": None,
    "pt-pt": "pt", "pt-br": "pt", "pt_br": "pt", "pt_ao": "pt",
}

NAMES = {
    "en": "English", "zh-Hans": "Chinese (Simplified)", "zh-Hant": "Chinese (Traditional)",
    "ja": "Japanese", "ko": "Korean", "ru": "Russian", "uk": "Ukrainian", "de": "German",
    "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "pl": "Polish",
    "nl": "Dutch", "cs": "Czech", "sv": "Swedish", "tr": "Turkish", "vi": "Vietnamese",
    "id": "Indonesian", "el": "Greek", "da": "Danish", "fi": "Finnish", "hu": "Hungarian",
    "ro": "Romanian", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "ur": "Urdu",
    "hi": "Hindi", "bn": "Bengali", "mr": "Marathi", "ne": "Nepali", "ta": "Tamil",
    "te": "Telugu", "kn": "Kannada", "ml": "Malayalam", "gu": "Gujarati", "pa": "Punjabi",
    "si": "Sinhala", "th": "Thai", "lo": "Lao", "km": "Khmer", "my": "Burmese",
    "ka": "Georgian", "hy": "Armenian", "am": "Amharic", "bg": "Bulgarian",
    "mk": "Macedonian", "sr-Cyrl": "Serbian (Cyrillic)", "sr-Latn": "Serbian (Latin)",
    "hr": "Croatian", "bs": "Bosnian", "sl": "Slovenian", "sk": "Slovak",
    "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "be": "Belarusian",
    "kk": "Kazakh", "uz": "Uzbek", "az": "Azerbaijani", "tk": "Turkmen", "ky": "Kyrgyz",
    "tg": "Tajik", "mn": "Mongolian", "ca": "Catalan", "gl": "Galician", "eu": "Basque",
    "oc": "Occitan", "nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk",
    "is": "Icelandic", "fo": "Faroese", "ga": "Irish", "cy": "Welsh",
    "gd": "Scottish Gaelic", "br": "Breton", "lb": "Luxembourgish", "af": "Afrikaans",
    "sw": "Swahili", "so": "Somali", "yo": "Yoruba", "ha": "Hausa", "ms": "Malay",
    "tl": "Tagalog/Filipino", "jv": "Javanese", "eo": "Esperanto", "la": "Latin",
    "sq": "Albanian", "mt": "Maltese",
    # others the sources cover
    "ach": "Acholi", "an": "Aragonese", "ast": "Asturian", "cak": "Kaqchikel",
    "dsb": "Lower Sorbian", "hsb": "Upper Sorbian", "ff": "Fula", "fur": "Friulian",
    "fy": "Western Frisian", "gn": "Guaraní", "ia": "Interlingua", "kab": "Kabyle",
    "lij": "Ligurian", "rm": "Romansh", "sat": "Santali", "sc": "Sardinian", "sco": "Scots",
    "skr": "Saraiki", "son": "Songhay", "szl": "Silesian", "trs": "Chicahuaxtla Triqui",
    "xh": "Xhosa", "dz": "Dzongkha", "om": "Oromo", "bo": "Tibetan", "ku": "Kurdish (Kurmanji)",
    "as": "Assamese", "or": "Odia", "ceb": "Cebuano", "chr": "Cherokee", "co": "Corsican",
    "dv": "Dhivehi", "ht": "Haitian Creole", "iu": "Inuktitut", "mi": "Māori",
    "ps": "Pashto", "qu": "Quechua", "sa": "Sanskrit", "sd": "Sindhi", "su": "Sundanese",
    "syr": "Syriac", "tt": "Tatar", "ti": "Tigrinya", "to": "Tongan", "ug": "Uyghur",
    "yi": "Yiddish", "gv": "Manx", "az-Cyrl": "Azerbaijani (Cyrillic)",
    "uz-Cyrl": "Uzbek (Cyrillic)", "ckb": "Central Kurdish", "ps-AF": "Pashto",
    "mai": "Maithili", "ks": "Kashmiri", "kok": "Konkani", "mni": "Manipuri", "sd-Deva": "Sindhi",
    "brx": "Bodo", "doi": "Dogri", "sat-Olck": "Santali", "nso": "Northern Sotho",
    "st": "Southern Sotho", "tn": "Tswana", "ts": "Tsonga", "ss": "Swati", "ve": "Venda",
    "nr": "Southern Ndebele", "zu": "Zulu", "rw": "Kinyarwanda", "lg": "Ganda",
    "wo": "Wolof", "ig": "Igbo", "ln": "Lingala", "mg": "Malagasy", "sn": "Shona",
    "ny": "Nyanja", "rn": "Rundi", "ee": "Ewe", "tw": "Twi", "ak": "Akan", "kw": "Cornish",
    "ve-ZA": "Venda", "oj": "Ojibwe", "fil": "Filipino", "haw": "Hawaiian", "sm": "Samoan",
    "bm": "Bambara", "ee-GH": "Ewe",
}

# The main script of the labels whose script is certain (Unicode-name style,
# as scripts() reports them); the others are detected.
SCRIPT_OF = {}
for _sc, _labels in {
        "Latin": "en de fr es it pt pl nl cs sv tr vi id da fi hu ro hr bs sl sk lt lv et uz az "
                 "tk ca gl eu oc nb nn is fo ga cy gd br lb af sw so yo ha ms tl jv eo la sq mt "
                 "sr-Latn ku om qu co su to ht mi ceb",
        "Cyrillic": "ru uk bg mk sr-Cyrl be kk ky tg mn tt",
        "Greek": "el", "Arabic": "ar fa ur ps ug sd ckb", "Hebrew": "he yi",
        "Devanagari": "hi mr ne sa", "Bengali": "bn as", "Tamil": "ta", "Telugu": "te",
        "Kannada": "kn", "Malayalam": "ml", "Gujarati": "gu", "Gurmukhi": "pa", "Oriya": "or",
        "Sinhala": "si", "Thai": "th", "Lao": "lo", "Khmer": "km", "Myanmar": "my",
        "Georgian": "ka", "Armenian": "hy", "Ethiopic": "am ti", "Tibetan": "dz bo",
        "Han": "zh-Hans zh-Hant", "Kana": "ja", "Hangul": "ko", "Ol Chiki": "sat",
        "Thaana": "dv", "Syriac": "syr", "Cherokee": "chr",
        "Canadian": "iu"}.items():  # scripts() calls CANADIAN SYLLABICS "Canadian"
    for _l in _labels.split():
        SCRIPT_OF[_l] = _sc

# Issue 20's targets + today's 24 (for the table's "target" column)
TODAY = "en zh-Hans zh-Hant ja ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro".split()
TARGETS = TODAY + """ar he fa ur hi bn mr ne ta te kn ml gu pa si th lo km my ka hy am bg mk
sr-Cyrl sr-Latn hr bs sl sk lt lv et be kk uz az tk ky tg mn ca gl eu oc nb nn is fo ga cy gd
br lb af sw so yo ha ms tl jv eo la sq mt""".split()


def label_of(code):
    """BCP 47 label of a locale code, or None (not a language we label)."""
    c = code.strip().lower().replace("_", "-")
    c2 = code.strip().lower()
    for k in (c, c2):
        if k in LABEL_OF:
            return LABEL_OF[k]
    base = re.split(r"[-_@.]", c)[0]
    if base in LABEL_OF:
        return LABEL_OF[base]
    if base in ("de", "en", "es", "fr", "pt", "it", "nl", "sv", "ga", "hi", "gu", "pa", "ne",
                "hy", "bn", "ta", "fy", "ms", "ur", "ar", "ca"):
        return base
    return base or None


# ------------------------------------------------------------------ text cleaning

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_PRINTF = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sSdiufFeEgGxXcpn@]"
                     r"|%\d+|#\d+|\$[A-Z][A-Z0-9_]*\$|\{\{?\s*[\w.$-]+\s*\}?\}|\{\d+\}")
_AMP_ACCEL = re.compile(r"&(?=[^\W\d_])(?![a-zA-Z]+;)")
_WS = re.compile(r"\s+")


def tidy(s):
    """Markup, placeholders and accelerators out; one line."""
    s = _TAG.sub(" ", s)
    s = html.unescape(s)
    s = _PRINTF.sub(" ", s)
    s = _AMP_ACCEL.sub("", s)
    s = s.replace("\\n", " ").replace("\\t", " ")
    s = _WS.sub(" ", s).strip()
    s = re.sub(r" +([,.;:!?)\]»”、。，；：！？）])", r"\1", s)
    return unicodedata.normalize("NFC", s)


_SCRIPT_CACHE = {}


def scripts(text):
    """Script of each letter (first word of its Unicode name: LATIN, CYRILLIC,
    CJK -> Han, HIRAGANA/KATAKANA -> Kana, HANGUL ...)."""
    out = []
    for ch in text:
        if not ch.isalpha():
            continue
        sc = _SCRIPT_CACHE.get(ch)
        if sc is None:
            name = unicodedata.name(ch, "?")
            w = name.split()[0]
            sc = {"CJK": "Han", "HIRAGANA": "Kana", "KATAKANA": "Kana", "HANGUL": "Hangul",
                  "OL": "Ol Chiki", "NEW": "Tai Lue", "TAI": "Tai", "OLD": "Old",
                  "MODIFIER": "Latin", "FULLWIDTH": "Latin"}.get(w, w.capitalize())
            _SCRIPT_CACHE[ch] = sc
        out.append(sc)
    return out


class Counter:
    """Distinct >= MINLEN-character sentences of one source and label."""

    def __init__(self):
        self.keys = {}  # norm_key -> length
        self.texts = {}  # norm_key -> the first sentence with that key (langid_world.py)
        self.raw = 0
        self.same_en = 0
        self.locales = set()
        self.script = None  # main script; set by finish()
        self.pending = []

    def add(self, text, en_keys=None):
        """Queue a text; finish() counts them once the label's script is known."""
        self.pending.append((text, en_keys))

    def finish(self, hint=None):
        """hint: the label's known script (SCRIPT_OF); else the main script of
        the texts, which untranslated pages can make Latin (LibreOffice hi)."""
        sc = collections.Counter()
        step = max(1, len(self.pending) // 5000)
        for text, _ in self.pending[::step]:
            sc.update(scripts(text))
        self.script = hint or (sc.most_common(1)[0][0] if sc else "?")
        for text, en_keys in self.pending:
            self._add(text, en_keys)
        self.pending = []

    def _add(self, text, en_keys):
        self.raw += 1
        t = tidy(text)
        if not t:
            return
        if en_keys is not None and norm_key(t) in en_keys:
            self.same_en += 1
            return
        if en_keys is not None and self.script != "Latin":
            letters = collections.Counter(scripts(t))
            if letters and letters["Latin"] * 2 > sum(letters.values()):
                self.same_en += 1  # Latin (English) text under a non-Latin label
                return
        for s in split_sentences(t, 10 ** 6):
            if len(s) >= MINLEN and not (en_keys and norm_key(s) in en_keys):
                k = norm_key(s)
                if k and k not in self.keys:
                    self.keys[k] = len(s)
                    self.texts[k] = s


# ------------------------------------------------------------------ Fluent / .properties


def _placeables(s):
    """Fluent pattern text -> plain text: select expressions become their
    default variant, string literals stay, other placeables go."""
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch != "{":
            out.append(ch)
            i += 1
            continue
        depth, j = 0, i
        while j < len(s):
            if s[j] == "{":
                depth += 1
            elif s[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        inner = s[i + 1:j]
        i = j + 1
        if "->" in inner:
            body = inner.split("->", 1)[1]
            m = re.search(r"\*\[[^\]]*\]", body)
            if m:
                rest = body[m.end():]
                nxt = re.search(r"\n\s*\*?\[[^\]]*\]", rest)
                out.append(_placeables(rest[:nxt.start()] if nxt else rest))
        else:
            lit = re.fullmatch(r'\s*"((?:[^"\\]|\\.)*)"\s*', inner)
            if lit:
                out.append(lit.group(1))
            else:
                out.append(" ")
    return "".join(out)


_SKIP_ATTR = {"accesskey", "commandkey", "key", "keycode", "style", "width", "height",
              "size", "searchkeys", "value-key"}


def fluent_strings(text):
    """(id, text) of every message value and attribute of an .ftl file."""
    entries = []  # [id, [lines]]
    cur = None
    for line in text.split("\n"):
        if not line.strip():
            if cur is not None:
                cur[1].append("")
            continue
        if line[0] == "#":
            cur = None
            continue
        if line[0] not in " \t":
            m = re.match(r"(-?[A-Za-z][\w-]*)\s*=\s?(.*)$", line)
            cur = [m.group(1), [m.group(2)]] if m else None
            if cur:
                entries.append(cur)
            continue
        if cur is not None:
            cur[1].append(line)
    for mid, lines in entries:
        # split into value and attributes (".attr = ..." at line start)
        parts = [[mid, []]]
        for ln in lines:
            m = re.match(r"\s+\.([\w-]+)\s*=\s?(.*)$", ln)
            if m:
                parts.append([mid + "." + m.group(1), [m.group(2)]])
            else:
                parts[-1][1].append(ln)
        for pid, pl in parts:
            if pid.rsplit(".", 1)[-1] in _SKIP_ATTR and pid != mid:
                continue
            body = "\n".join(pl).strip()
            if body:
                yield pid, _placeables(body)


def properties_strings(text):
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].lstrip()
        i += 1
        if not line or line[0] in "#!":
            continue
        while line.endswith("\\") and not line.endswith("\\\\") and i < len(lines):
            line = line[:-1] + lines[i].lstrip()
            i += 1
        m = re.match(r"((?:[^=:\s\\]|\\.)+)\s*[=:]?\s*(.*)$", line)
        if not m:
            continue
        key, val = m.group(1), m.group(2)
        if key.rsplit(".", 1)[-1].lower() in _SKIP_ATTR or key.endswith("accessKey"):
            continue
        val = re.sub(r"\\u([0-9a-fA-F]{4})", lambda mm: chr(int(mm.group(1), 16)), val)
        val = re.sub(r"\\(.)", r"\1", val)
        if ";" in val and "#1" in val:  # plural forms
            for j, v in enumerate(val.split(";")):
                yield "%s[%d]" % (key, j), v
        else:
            yield key, val


def xpi_strings(xpi_bytes):
    """(path:id, text) of a langpack .xpi."""
    z = zipfile.ZipFile(io.BytesIO(xpi_bytes))
    for name in sorted(z.namelist()):
        if name.rsplit("/", 1)[-1].startswith("enUS-"):
            continue  # English-only strings shipped in every langpack
        if name.endswith(".ftl"):
            for k, v in fluent_strings(z.read(name).decode("utf-8", "replace")):
                yield name.rsplit("/", 1)[-1] + ":" + k, v
        elif name.endswith(".properties"):
            for k, v in properties_strings(z.read(name).decode("utf-8", "replace")):
                yield name.rsplit("/", 1)[-1] + ":" + k, v


# ------------------------------------------------------------------ .deb access


def deb_files(path, want):
    """(member name, bytes) of the files of a .deb whose name matches `want`
    (a compiled regex), streamed from dpkg-deb --fsys-tarfile."""
    p = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", path], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=p.stdout, mode="r|") as tf:
        for m in tf:
            if m.isfile() and want.search(m.name):
                yield m.name, tf.extractfile(m).read()
    p.stdout.close()
    if p.wait() != 0:
        raise SystemExit("dpkg-deb failed on %s" % path)


def read_pins(path):
    """[(group, package, version, sha256)]"""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) == 4:
                out.append(tuple(line))
    return out


def deb_name(pkg, ver, debdir):
    v = ver.replace(":", "%3a")
    for arch in ("all", "amd64"):
        p = os.path.join(debdir, "%s_%s_%s.deb" % (pkg, v, arch))
        if os.path.exists(p):
            return p
    raise SystemExit("missing %s=%s in %s" % (pkg, ver, debdir))


# ------------------------------------------------------------------ sources

def count_texts(texts_by_code, en_keys, counter=Counter):
    """{label: counter} of the texts of each locale code (in code order), a translation's text
    equal to an English one (its norm_key in en_keys) dropped: the last step of the sources whose
    English is a locale among the others (LibreOffice help, man pages, manuals, CLDR). counter:
    the Counter class that counts (default Counter; CLDR's is CldrCounter)."""
    counters = {}
    for code, texts in sorted(texts_by_code.items()):
        label = label_of(code)
        c = counters.setdefault(label, counter())
        c.locales.add(code)
        for t in texts:
            c.add(t, None if label == "en" else en_keys)
    return counters


def count_mozilla(prefix, debs):
    """firefox-esr-l10n-* / thunderbird-l10n-*: the langpack .xpi."""
    xpi = re.compile(r"\.xpi$")
    per_code = {}
    for pkg, path in debs:
        code = pkg[len(prefix):]
        for _, data in deb_files(path, xpi):
            per_code[code] = list(xpi_strings(data))
    en_keys = set()
    for code, strs in per_code.items():
        if code.startswith("en-"):
            en_keys |= {norm_key(tidy(v)) for _, v in strs}
    en_keys.discard("")
    counters = {}
    for code, strs in sorted(per_code.items()):
        label = label_of(code)
        if label is None:
            continue
        c = counters.setdefault(label, Counter())
        c.locales.add(code)
        for _, v in strs:
            c.add(v, None if label == "en" else en_keys)
    return counters


class _HelpText(__import__("html.parser").parser.HTMLParser):
    """Paragraph text of a LibreOffice help page (.xhp XML or .html)."""

    BLOCK = {"paragraph", "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "title", "dd"}
    SKIP = {"script", "style", "head", "bookmark_value", "bookmark", "embed", "embedvar",
            "image", "code", "pre", "switchinline", "ahelp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.buf, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)

    def flush(self):
        t = _WS.sub(" ", "".join(self.buf)).strip()
        if t:
            self.out.append(t)
        self.buf = []


def count_lohelp(debs):
    """libreoffice-help-*: the help pages (HTML) of each language."""
    rx = re.compile(r"usr/share/libreoffice/help/([^/]+)/.*\.(?:html|xhp)$")
    per_code = {}
    for pkg, path in debs:
        if pkg == "libreoffice-help-common":
            continue
        for name, data in deb_files(path, rx):
            code = rx.search(name).group(1)
            p = _HelpText()
            p.feed(data.decode("utf-8", "replace"))
            p.close()
            per_code.setdefault(code, []).extend(p.out)
    en_keys = set()
    for code, strs in per_code.items():
        if code.startswith("en"):
            en_keys |= {norm_key(tidy(v)) for v in strs}
    en_keys.discard("")
    return count_texts(per_code, en_keys)


def count_ddtp(listdir):
    """Translation-XX: short + long descriptions (langid_ddtp.py's reader and
    English filter: lines equal to the English of the same description)."""
    from langid_ddtp import read_translation
    from langid_docs import clean, letters_sig
    en = {}
    for pkg, md5, short, long_lines in read_translation(os.path.join(listdir, "Translation-en"),
                                                        "en"):
        en[md5] = {letters_sig(x) for x in [short] + long_lines}
    counters = {}
    for name in sorted(os.listdir(listdir)):
        if not name.startswith("Translation-"):
            continue
        code = name[len("Translation-"):]
        label = label_of(code)
        c = counters.setdefault(label, Counter())
        c.locales.add(code)
        en_keys = None if label == "en" else set()
        for pkg, md5, short, long_lines in read_translation(os.path.join(listdir, name), code):
            ens = en.get(md5, set())
            for x in [short] + long_lines:
                x = clean(x)
                if label != "en" and letters_sig(x) in ens:
                    c.raw += 1
                    c.same_en += 1
                    continue
                c.add(x, en_keys)
    return counters


def _unpack(debs, dest):
    for _, path in debs:
        subprocess.run(["dpkg", "-x", path, dest], check=True)


def count_man(debs):
    """manpages-*: roff_text.py's records, English (manpages, manpages-dev)
    sentences dropped from the translations."""
    from roff_text import page_records, pages, read_page
    with tempfile.TemporaryDirectory() as tmp:
        _unpack(debs, tmp)
        recs = {}
        for langdir, page, path in pages(tmp):
            code = langdir or "en"
            label = label_of(code)
            t = read_page(path)
            if t is None:
                continue
            for kind, text in page_records(t):
                recs.setdefault((label, code), []).append(text)
    en_keys = set()
    for (label, code), texts in recs.items():
        if label == "en":
            for t in texts:
                en_keys.update(norm_key(s) for s in split_sentences(tidy(t), 10 ** 6))
    en_keys.discard("")
    return count_texts({code: texts for (label, code), texts in recs.items()}, en_keys)


def count_docs(debs):
    """Debian manuals: langid_docs.py's paragraph extractor and cleaning."""
    from langid_docs import clean, html_paragraphs, manual_files
    with tempfile.TemporaryDirectory() as tmp:
        _unpack(debs, tmp)
        paras = {}
        for manual, lang, doc, path in manual_files(tmp):
            with open(path, "rb") as f:
                raw = f.read().decode("utf-8", errors="replace")
            paras.setdefault(lang, []).extend(clean(t) for t in html_paragraphs(raw))
    en_keys = set()
    for t in paras.get("en", []):
        en_keys.update(norm_key(s) for s in split_sentences(t, 10 ** 6))
    en_keys.discard("")
    return count_texts(paras, en_keys)


def count_cldr(debs):
    """unicode-cldr-core: the display strings of common/main/*.xml (names of
    languages, territories, scripts, months, days, units, relative times ...).
    Counts distinct strings of any length (CLDR strings are short) in N and
    the >= 20-character ones in the RAW column's place? no: see table."""
    rx = re.compile(r"common/main/([A-Za-z_]+)\.xml$")
    el = re.compile(r"<(\w+)(?: [^>]*)?>([^<>]+)</\1>")
    per_code = {}
    for pkg, path in debs:
        for name, data in deb_files(path, rx):
            code = rx.search(name).group(1)
            txt = data.decode("utf-8", "replace")
            vals = [html.unescape(m.group(2)).strip() for m in el.finditer(txt)
                    if m.group(1) not in ("version", "generation", "language", "territory",
                                          "script", "variant", "identity")
                    or m.start() > txt.find("</identity>")]
            per_code[code] = [v for v in vals if v and not re.fullmatch(r"[\W\d_]*", v)]
    en_keys = {norm_key(v) for v in per_code.get("en", [])} - {""}
    # only language-level files and script/region variants that are labels
    kept = {code: vals for code, vals in per_code.items()
            if "_" not in code or code.lower() in ("sr_latn", "zh_hant", "sr_cyrl", "zh_hans",
                                                   "az_cyrl", "uz_cyrl")}
    return count_texts(kept, en_keys, CldrCounter)


class CldrCounter(Counter):
    """CLDR: N = distinct strings of >= 4 letters (they are names and phrases,
    rarely 20 characters), not sentences."""

    def _add(self, text, en_keys=None):
        self.raw += 1
        t = tidy(text)
        k = norm_key(t)
        if not k:
            return
        if en_keys is not None and k in en_keys:
            self.same_en += 1
            return
        if sum(ch.isalpha() for ch in t) >= 4 and k not in self.keys:
            self.keys[k] = len(t)
            self.texts[k] = t


class WordCounter:
    def __init__(self):
        self.keys = {}
        self.raw = 0
        self.same_en = 0
        self.locales = set()
        self.script = None

    def finish(self, hint=None):
        sc = collections.Counter()
        for w in list(self.keys)[:20000]:
            sc.update(scripts(w))
        self.script = hint or (sc.most_common(1)[0][0] if sc else "?")

    def add(self, word):
        self.raw += 1
        w = unicodedata.normalize("NFC", word.strip()).casefold()
        if w and any(ch.isalpha() for ch in w) and w not in self.keys:
            self.keys[w] = len(w)


def _decode(data, enc):
    try:
        return data.decode(enc or "utf-8")
    except (LookupError, UnicodeError):
        return data.decode("latin-1")


def count_hunspell(debs):
    """hunspell-*/myspell-*: the .dic stems (affixes not expanded), encoding
    from the .aff SET line."""
    rx = re.compile(r"usr/share/hunspell/([^/]+)\.(dic|aff)$")
    counters = {}
    for pkg, path in debs:
        files = dict(((rx.search(n).group(1), rx.search(n).group(2)), d)
                     for n, d in deb_files(path, rx))
        for (code, ext), data in sorted(files.items()):
            if ext != "dic":
                continue
            aff = files.get((code, "aff"), b"")
            m = re.search(rb"^SET\s+(\S+)", aff, re.M)
            enc = m.group(1).decode("ascii", "replace").lower() if m else "utf-8"
            enc = {"microsoft-cp1251": "cp1251", "iso8859-1": "iso8859-1"}.get(enc, enc)
            label = label_of(code)
            if label is None or code.startswith("hyph"):
                continue
            c = counters.setdefault(label, WordCounter())
            c.locales.add(code)
            lines = _decode(data, enc).split("\n")[1:]
            for ln in lines:
                w = ln.split("/", 1)[0].split("\t", 1)[0].strip()
                if w and not w.startswith("#"):
                    c.add(w)
    return counters


def count_aspell(debs):
    """aspell-*: the compressed word lists (.cwl, `precat`/prezip format)
    decoded here; the .rws are not read. Packages without .cwl are noted."""
    rx = re.compile(r"usr/share/aspell/([^/]+)\.cwl(?:\.gz)?$")
    counters = {}
    for pkg, path in debs:
        for name, data in deb_files(path, rx):
            code = rx.search(name).group(1)
            if name.endswith(".gz"):
                import gzip
                data = gzip.decompress(data)
            words = _prezip_decode(data)
            base = re.split(r"[-_]", code)[0]
            label = label_of(code if code.lower() in LABEL_OF else base)
            if label is None:
                continue
            enc = "utf-8"
            c = counters.setdefault(label, WordCounter())
            c.locales.add(code)
            for w in words:
                try:
                    s = w.decode(enc)
                except UnicodeError:
                    s = w.decode(_aspell_charset(pkg), "replace")
                c.add(s.split("/", 1)[0])
    return counters


def _aspell_charset(pkg):
    return {"aspell-ru": "koi8-r", "aspell-uk": "koi8-u", "aspell-bg": "cp1251",
            "aspell-he": "iso8859-8", "aspell-el": "iso8859-7", "aspell-pl": "iso8859-2",
            "aspell-cs": "iso8859-2", "aspell-sk": "iso8859-2", "aspell-hr": "iso8859-2",
            "aspell-sl": "iso8859-2", "aspell-hu": "iso8859-2", "aspell-ro": "iso8859-2",
            "aspell-lt": "iso8859-13", "aspell-lv": "iso8859-13", "aspell-et": "iso8859-15",
            "aspell-kk": "koi8-r"}.get(pkg, "iso8859-1")


def _prezip_decode(data):
    """aspell's prezip: each word = 1 byte 'shared prefix length' (or the
    escapes 0x1E/0x1F...) + suffix; words end with a byte < 0x20."""
    out = []
    if not data.startswith(b"\x02"):
        return [w for w in data.split(b"\n") if w]
    i, prev, n = 1, b"", len(data)
    while i < n:
        c = data[i]
        i += 1
        if c == 0x1E:  # long prefix: next byte + 30? (prezip: 30 + next)
            c = 30 + data[i]
            i += 1
        elif c == 0x1F:
            c = data[i] * 255 + data[i + 1]  # not seen in practice
            i += 2
        j = i
        while j < n and data[j] >= 0x20:
            j += 1
        w = prev[:c] + data[i:j]
        if w:
            out.append(w)
        prev = w
        i = j
    return out


def count_tesseract(debs, tooldir):
    """tesseract-ocr-*: combine_tessdata -u then dawg2wordlist on the
    lstm-word-dawg (else word-dawg) with its unicharset."""
    rx = re.compile(r"\.traineddata$")
    combine = os.path.join(tooldir, "combine_tessdata")
    d2w = os.path.join(tooldir, "dawg2wordlist")
    counters = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pkg, path in debs:
            for name, data in deb_files(path, rx):
                code = os.path.basename(name)[:-len(".traineddata")]
                if code[:1].isupper():
                    label = None  # script models (Arabic, Latin, Devanagari ...): no language
                else:
                    label = label_of(code)
                if label is None:
                    continue
                td = os.path.join(tmp, code)
                os.makedirs(td, exist_ok=True)
                with open(os.path.join(td, "x.traineddata"), "wb") as f:
                    f.write(data)
                subprocess.run([combine, "-u", os.path.join(td, "x.traineddata"),
                                os.path.join(td, "x.")], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                words = []
                for uni, dawg in (("x.lstm-unicharset", "x.lstm-word-dawg"),
                                  ("x.unicharset", "x.word-dawg")):
                    if os.path.exists(os.path.join(td, dawg)):
                        wl = os.path.join(td, "words.txt")
                        subprocess.run([d2w, os.path.join(td, uni), os.path.join(td, dawg), wl],
                                       check=True, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
                        with open(wl, encoding="utf-8", errors="replace") as f:
                            words = f.read().split("\n")
                        break
                c = counters.setdefault(label, WordCounter())
                c.locales.add(code)
                for w in words:
                    c.add(w)
                subprocess.run(["rm", "-rf", td], check=True)
    return counters


# ------------------------------------------------------------------ commands

SOURCES = {
    # source: (pin group, what, kind)
    "firefox": ("firefox", "Firefox ESR language packs", "text"),
    "ddtp": ("ddtp", "DDTP package descriptions", "text"),
    "lohelp": ("lohelp", "LibreOffice help", "text"),
    "man": ("man", "translated man pages", "text"),
    "docs": ("docs", "Debian manuals", "text"),
    "thunderbird": ("thunderbird", "Thunderbird language packs", "text"),
    "cldr": ("cldr", "CLDR display strings", "strings"),
    "hunspell": ("hunspell", "hunspell/myspell stems", "words"),
    "aspell": ("aspell", "aspell word lists", "words"),
    "tesseract": ("tesseract", "Tesseract word dawgs", "words"),
}


def cmd_pin(debdir, group, patterns):
    rx = [re.compile(p) for p in patterns]
    for name in sorted(os.listdir(debdir)):
        if not name.endswith(".deb"):
            continue
        pkg, ver, _ = name[:-4].split("_")
        if any(r.fullmatch(pkg) for r in rx):
            print("%s %s %s %s" % (group, pkg, ver.replace("%3a", ":"),
                                   sha256_file(os.path.join(debdir, name))))


def count_source(source, rawdir, pins):
    """{label: Counter} of one source (its texts in Counter.texts, words in
    WordCounter.keys), before finish(); shared with langid_world.py."""
    group = SOURCES[source][0]
    debdir = os.path.join(rawdir, "debs")
    debs = [(pkg, deb_name(pkg, ver, debdir)) for g, pkg, ver, sha in read_pins(pins)
            if g == group]
    if source == "firefox":
        counters = count_mozilla("firefox-esr-l10n-", debs)
    elif source == "thunderbird":
        counters = count_mozilla("thunderbird-l10n-", debs)
    elif source == "lohelp":
        counters = count_lohelp(debs)
    elif source == "ddtp":
        counters = count_ddtp(os.path.join(rawdir, "ddtp-lists"))
    elif source == "man":
        counters = count_man(debs)
    elif source == "docs":
        counters = count_docs(debs)
    elif source == "cldr":
        counters = count_cldr(debs)
    elif source == "hunspell":
        counters = count_hunspell(debs)
    elif source == "aspell":
        counters = count_aspell(debs)
    elif source == "tesseract":
        counters = count_tesseract(debs, os.environ.get("TESSERACT_TOOLS", "/usr/bin"))
    else:
        raise SystemExit("unknown source %s" % source)
    return counters


def cmd_count(source, rawdir, pins, out):
    counters = count_source(source, rawdir, pins)
    with open(out + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        for label in sorted(counters, key=str):
            if label is None:
                continue
            c = counters[label]
            c.finish(SCRIPT_OF.get(label))
            f.write("%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n" % (
                source, label, ",".join(sorted(c.locales)), c.script, len(c.keys),
                sum(c.keys.values()), c.same_en, c.raw))
    os.replace(out + ".tmp", out)
    if SOURCES[source][2] == "text":
        # 64-bit hashes of the distinct sentences: `table` unions them across sources
        with open(out + ".keys.tmp", "w", encoding="ascii", newline="\n") as f:
            for label in sorted((x for x in counters if x), key=str):
                for k in sorted(hashlib.sha256(k.encode()).hexdigest()[:16]
                                for k in counters[label].keys):
                    f.write("%s\t%s\n" % (label, k))
        os.replace(out + ".keys.tmp", out[:-4] + ".keys" if out.endswith(".tsv") else
                   out + ".keys")
    print("%s: %d labels" % (source, len(counters)), file=sys.stderr)


# ------------------------------------------------------------------ table

FAMILY = {"firefox": "mozilla", "thunderbird": "mozilla", "lohelp": "lohelp", "ddtp": "ddtp",
          "man": "man", "docs": "docs"}
TEXT_ORDER = ["firefox", "thunderbird", "lohelp", "ddtp", "man", "docs"]
WORD_ORDER = ["hunspell", "aspell", "tesseract"]
BAR_TOTAL, BAR_SOURCE = 2000, 200


def table(resdir, pins):
    rows = {}  # label -> {source: (n, chars, same_en, raw, locales, script)}
    for src in SOURCES:
        path = os.path.join(resdir, src + ".tsv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                source, label, locales, script, n, chars, same, raw = line.rstrip("\n").split("\t")
                rows.setdefault(label, {})[source] = (int(n), int(chars), int(same), int(raw),
                                                      locales, script)
    union = collections.defaultdict(set)
    for src in TEXT_ORDER:
        path = os.path.join(resdir, src + ".keys")
        if os.path.exists(path):
            with open(path, encoding="ascii") as f:
                for line in f:
                    label, k = line.split()
                    union[label].add(k)
    done = [s for s in SOURCES if os.path.exists(os.path.join(resdir, s + ".tsv"))]
    text_cols = [s for s in TEXT_ORDER if s in done]
    other_cols = [s for s in ["cldr"] + WORD_ORDER if s in done]

    def script_of(label):
        if label in SCRIPT_OF:
            return SCRIPT_OF[label]
        for s in text_cols + other_cols:
            if s in rows[label] and rows[label][s][5] not in ("?", ""):
                return rows[label][s][5]
        return "?"

    def status(label):
        fams = collections.Counter()
        for s in text_cols:
            if s in rows[label]:
                fams[FAMILY[s]] += rows[label][s][0]
        strong = sorted(f for f, n in fams.items() if n >= BAR_SOURCE)
        total = len(union.get(label, ()))
        if total >= BAR_TOTAL and len(strong) >= 2:
            return "ok", total, strong
        if total >= BAR_TOTAL:
            return "one source", total, strong
        return "**not enough data**", total, strong

    out = []
    w = out.append
    w("| label | name | script | target | " + " | ".join(text_cols) +
      " | text total | chars (k) | " + " | ".join(other_cols) + " | status |\n")
    w("| --- | --- | --- | --- | " + " | ".join("---:" for _ in text_cols) + " | ---: | ---: | " +
      " | ".join("---:" for _ in other_cols) + " | --- |\n")

    def order(label):
        return (0 if label in TODAY else 1 if label in TARGETS else 2, label)

    cldr_only = sorted(l for l in rows if l not in TARGETS and
                       not any(x in rows[l] for x in TEXT_ORDER + WORD_ORDER))
    labels = sorted((set(rows) | set(TARGETS)) - set(cldr_only), key=order)
    summary = collections.Counter()
    for label in labels:
        r = rows.get(label, {})
        rows.setdefault(label, r)
        st, total, strong = status(label)
        summary[(st, label in TARGETS)] += 1
        chars = sum(r[s][1] for s in text_cols if s in r)
        cells = ["%d" % r[s][0] if s in r else "" for s in text_cols]
        ocells = ["%d" % r[s][0] if s in r else "" for s in other_cols]
        tgt = "today" if label in TODAY else "issue 20" if label in TARGETS else ""
        w("| %s | %s | %s | %s | %s | %d | %d | %s | %s |\n" % (
            label, NAMES.get(label, "?"), script_of(label) if r else "", tgt, " | ".join(cells),
            total, chars // 1000, " | ".join(ocells),
            st + (" (" + ", ".join(strong) + ")" if strong and st != "ok" else "")))
    w("\n")
    ok = [l for l in labels if status(l)[0] == "ok"]
    one = [l for l in labels if status(l)[0] == "one source"]
    low = [l for l in labels if status(l)[0].startswith("**")]
    w("Status: **ok** %d labels (%d of them targets), **one source** %d (%s), "
      "**not enough data** %d (targets among them: %s).\n\n" % (
          len(ok), sum(1 for l in ok if l in TARGETS), len(one), " ".join(one) or "-",
          len(low), " ".join(l for l in low if l in TARGETS) or "-"))
    w("Not targets, not enough data: %s.\n\n" % (" ".join(l for l in low if l not in TARGETS)
                                                   or "-"))
    w("Only in CLDR (no rows above; %d): %s.\n\n" % (len(cldr_only), " ".join(cldr_only)))
    # per-source table
    pin_rows = collections.defaultdict(list)
    for g, pkg, ver, sha in read_pins(pins):
        pin_rows[g].append((pkg, ver))
    w("| source | packages | version(s) | licence | labels | labels with >= %d |\n" % BAR_SOURCE)
    w("| --- | --- | --- | --- | ---: | ---: |\n")
    for src in done:
        g, what, kind = SOURCES[src]
        vers = sorted({v for _, v in pin_rows.get(g, [])})
        n = sum(1 for l in rows if src in rows[l])
        big = sum(1 for l in rows if src in rows[l] and rows[l][src][0] >= BAR_SOURCE)
        w("| %s (%s) | %s (%d) | %s | %s | %d | %d |\n" % (
            src, what, PATTERN.get(src, ""), len(pin_rows.get(g, [])),
            ", ".join(vers[:3]) + (" ..." if len(vers) > 3 else "") if vers else
            "InRelease of the fetch (langid_ddtp.sh)", LICENCE.get(src, "?"), n, big))
    return "".join(out)


PATTERN = {
    "firefox": "`firefox-esr-l10n-*`", "thunderbird": "`thunderbird-l10n-*`",
    "lohelp": "`libreoffice-help-*`", "ddtp": "`Translation-*` (bookworm main)",
    "man": "`manpages`, `manpages-*`",
    "docs": "`debian-reference-*`, `debian-faq*`, `maint-guide*`, `developers-reference*`, "
            "`installation-guide-amd64`",
    "cldr": "`unicode-cldr-core`", "hunspell": "`hunspell-*`, `myspell-*`",
    "aspell": "`aspell-*`", "tesseract": "`tesseract-ocr-*` (+ `tesseract-ocr` for the tools)",
}
LICENCE = {
    "firefox": "MPL-2.0", "thunderbird": "MPL-2.0", "lohelp": "MPL-2.0",
    "ddtp": "each package's licence (DDTP translations)",
    "man": "GPL-2+/GPL-3+ and the pages' own notices (see models/README.md)",
    "docs": "GPL-2+, GPL-2, MIT; debian-faq SPI notice (see models/README.md)",
    "cldr": "Unicode License v3",
    "hunspell": "per dictionary: GPL/LGPL/MPL tri-licence, LGPL, GPL, BSD, CC-BY-SA ... "
                "(check each copyright file before use)",
    "aspell": "per dictionary: GPL, LGPL, public domain ... (check each)",
    "tesseract": "Apache-2.0",
}


def main(argv):
    if len(argv) >= 4 and argv[1] == "pin":
        cmd_pin(argv[2], argv[3], argv[4:])
    elif len(argv) == 6 and argv[1] == "count":
        cmd_count(argv[2], argv[3], argv[4], argv[5])
    elif len(argv) == 4 and argv[1] == "table":
        sys.stdout.write(table(argv[2], argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
