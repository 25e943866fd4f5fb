#!/usr/bin/python3
"""Writes the fuzz harnesses' seed corpora into tests/fuzz/corpus/NAME/ from files of the
repository (tests/models, tests/shipped) and a few hand-written inputs. Run from the repository's
root after those files change; the corpora are committed, so `make fuzz` needs no Python."""
import glob
import os

SEP = b"\xff\xfe"   # section separator of fuzz/model.c


def write(name, files):
    d = os.path.join("tests/fuzz/corpus", name)
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(os.path.join(d, "*")):
        os.remove(old)
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def model_seeds():
    m = "tests/models/"
    seeds = {
        "tiny-inline": read(m + "tiny.json"),
        "tiny-vocabfile": read(m + "tiny-vocabfile.json") + SEP + read(m + "tiny-vocab.txt"),
        "tiny-st": read(m + "tiny-st.json") + SEP + SEP + read(m + "tiny-st.safetensors"),
        "tiny-st-f64": read(m + "tiny-st-f64.json") + SEP + SEP + read(m + "tiny-st-f64.safetensors"),
        "tiny-st-i8": read(m + "tiny-st-i8.json") + SEP + SEP + read(m + "tiny-st-i8.safetensors"),
        "tiny-st-unaligned": read(m + "tiny-st-unaligned.json") + SEP + SEP
        + read(m + "tiny-st-unaligned.safetensors"),
    }
    # an abstain rule with withheld labels, after the labels: fuzz/model.c's text is fr 0.63,
    # en 0.32 to tiny.json, so the answer is en
    seeds["tiny-withheld"] = read(m + "tiny.json").replace(
        b'\n  "labels": ', b'\n  "abstain": {"label": "und", "min_probability": 0.3, "max_unknown": 1, '
        b'"withheld": ["fr"]},\n  "labels": ', 1)
    for path in sorted(glob.glob(m + "bad/*.json")):
        seeds["bad-" + os.path.basename(path)[:-5]] = read(path)
    return seeds


def text_seeds():
    seeds = {}
    n = 0
    for path in ("tests/shipped/lang.txt", "tests/shipped/spam.txt"):
        for line in read(path).split(b"\n"):
            if line.strip() and n < 40:
                seeds["shipped-%02d" % n] = b"\x00" + line.split(b"\t")[-1]
                n += 1
    extra = [
        b"\x00", b"\x01", b"\x00hello world", b"\x00\xef\xbb\xbfBOM first",
        b"\x00caf\xc3\xa9 CAFE\xcc\x81 \xef\xac\x81 \xe2\x85\xa8",      # NFC/NFD, ligature, Roman 9
        b"\x00\xe7\x8c\xab\xe3\x81\x8c\xe5\xaf\x9d\xe3\x81\xa6\xe3\x81\x84\xe3\x82\x8b",  # CJK + kana
        b"\x00\xc0\xaf \xed\xa0\x80 \xe2\x82 \x80\xbf \xf4\x90\x80\x80 \xff",  # invalid UTF-8
        b"\x01\xc0\xaf strict", b"\x00tab\there\r\nnul\x00inside \x1b[31mansi\x1b[0m",
        b"\x00" + b"supercalifragilisticexpialidocious" * 8,
        b"\x00" + "Ⅻ ﬃ ẞ İ ς ǅ ㈱ ① ﹏ 𝐀".encode(),
        # links, whose words the abstain counts leave out (chunks of 3 bytes; of 1)
        b"\x04" + "see https://x.org/a, ann@example.org WWW.Example.COM mailto:x 中文https://x.cn".encode(),
        b"\x00" + b"a-" * 100 + b"b@x.org " + b"a-" * 100 + b"b@x",
    ]
    for i, e in enumerate(extra):
        seeds["extra-%02d" % i] = e
    return seeds


def labeled_seeds():
    return {
        "fasttext": b"__label__spam buy now\n__label__ham see you at 3\n__label__a __label__b two\n"
                    b"__label__x\nno label here\n\n   \n__label__caf\xc3\xa9 accent\r",
        "tsv": b"spam\tbuy now\nham\tsee you\n\tno label\nonly\t\nbad\xff\tutf8\nlab\x01el\ttext",
        "mixed": b"__label__a text\tmore\nlabel\t__label__b\n__label__\t\n",
    }


def reader_seeds():
    # first byte: 0 auto-detect, 1 fastText, 2 TSV (fuzz/reader.c)
    seeds = {}
    for name, text in labeled_seeds().items():
        for fmt in range(3):
            seeds["%s-%d" % (name, fmt)] = bytes([fmt]) + text
    seeds["undetectable"] = b"\x00plain text\nno labels\n"
    seeds["nul-lines"] = b"\x00__label__a x\x00y\n\x00\n__label__b z"
    seeds["shipped-lang"] = b"\x00" + read("tests/shipped/lang.txt")
    return seeds


def input_seeds():
    return {
        "lines": b"\x00one\ntwo\r\nthree\r\r\n\nlast",
        "lines-end": b"\x00a\nb\n",
        "nul": b"\x01one\x00two\nstill two\x00\x00",
        "whole": b"\x02a whole\nfile\x00with nul",
        "crlf-only": b"\x00\r\n\r\n\r",
    }


write("model", model_seeds())
write("tokenize", text_seeds())
write("labeled", labeled_seeds())
write("input", input_seeds())
write("reader", reader_seeds())
