#!/usr/bin/python3
"""A peer language identifier's predictions, one line per input line.

    predict_peer.py PEER FILE --tools DIR [--labels SPEC] [--unrestricted] > PRED

PEER: eld, lingua, cld (CLD2) or lid176. FILE: fastText format (`__label__X
text`; the label token is removed) or plain lines; split on \\n only, a CR
before it dropped (as predict_lid176.py). DIR: what peers_install.sh installed
(node_modules/ and lid176/lid.176.ftz). SPEC: the labels of the model under test
(comma-separated, or a file with one a line; default the 24 labels of
models/lang.json). The peer runs once for the whole file: node with
peers/PEER.mjs, or Debian's fasttext for lid176.

Output, one line per input line, TAB-separated:

  LABEL  our label (peer_map.py: the peer's code through peers/PEER.tsv), or
         empty when the peer has no answer
  PROB   the answer's probability, or empty when the peer gives none (eld,
         CLD2)
  OWN    the peer's own code for its answer (as it printed it)
  NOTE   empty, or why the peer did not commit to an answer: unknown (no
         language found), unreliable (it answered but says it is not sure:
         eld's isReliable(), CLD2's reliable), outside (CLD2: none of its three
         languages is one of SPEC)

Restricted (default): the peer answers only labels of SPEC that it has.
  eld     natively: setLanguageSubset(codes) (eld scores all 60 languages and
          keeps the subset's scores: the same as filtering its score list)
  lingua  natively: LanguageDetectorBuilder.fromLanguages(names) (only those
          models; the confidences are over them and sum to 1). Lingua's answer
          is the most confident language unless its confidence is 0 or equal to
          the second's (then none, as detectLanguageOf)
  cld     by filtering: the first of CLD2's (up to 3) languages that maps to a
          label of SPEC; none -> empty, NOTE outside
  lid176  by filtering: all 176 probabilities, those mapping to SPEC summed
          per label and renormalised to 1; the most probable (predict_lid176.py
          does the same for the 24 labels)
--unrestricted (lid176 only): the top label of all 176 with its probability,
mapped to our label (which may be outside SPEC: then it is wrong on a known
language).
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
from peer_map import LABELS_24, PeerMap, read_labels  # noqa: E402
from predict_lid176 import fasttext_predict, line_per_text, parse, read_texts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = {"eld": "eld", "lingua": "lingua", "cld": "cld2", "lid176": "lid176"}


def run_node(script, args, texts):
    """Yields the parsed JSON line of node peers/SCRIPT for each text."""
    cmd = ["node", os.path.join(HERE, "peers", script)] + args
    for line in line_per_text(cmd, texts, script):
        yield json.loads(line)


def predict_eld(m, texts, labels, tools):
    codes = m.codes_for(labels)
    for t, r in zip(texts, run_node("eld.mjs", ["--tools", tools, "--subset", ",".join(codes)], texts)):
        own = r["own"]
        if not own:
            yield "", "", "", "unknown"
        else:
            yield m.label(own, t.decode("utf-8", "replace")), "", own, "" if r["reliable"] else "unreliable"


def predict_lingua(m, texts, labels, tools):
    names = m.codes_for(labels)
    if len(names) < 2:
        raise SystemExit("predict_peer.py: Lingua needs at least 2 languages, shares %r" % names)
    for t, r in zip(texts, run_node("lingua.mjs", ["--tools", tools, "--languages", ",".join(names)], texts)):
        top = r["top"]
        if not top or top[0][1] <= 0 or (len(top) > 1 and top[0][1] == top[1][1]):
            yield "", "", "", "unknown"
        else:
            yield m.label(top[0][0], t.decode("utf-8", "replace")), "%.6f" % top[0][1], top[0][0], ""


def predict_cld(m, texts, labels, tools):
    for t, r in zip(texts, run_node("cld.mjs", ["--tools", tools], texts)):
        if not r["langs"]:
            yield "", "", "", "unknown"
            continue
        own = r["langs"][0][0]
        text = t.decode("utf-8", "replace")
        kept = [m.label(c, text) for c, _ in r["langs"]]
        kept = [l for l in kept if l in labels]
        if not kept:
            yield "", "", own, "outside"
        else:
            yield kept[0], "", own, "" if r["reliable"] else "unreliable"


def predict_lid176(m, texts, labels, tools, unrestricted):
    model = os.path.join(tools, "lid176", "lid.176.ftz")
    if not os.path.isfile(model):
        raise SystemExit("predict_peer.py: %s missing (peers_install.sh)" % model)
    wanted = set(labels)
    for t, line in zip(texts, fasttext_predict(model, texts, 176, "-1")):
        preds = parse(line)
        text = t.decode("utf-8", "replace")
        if not preds:
            yield "", "", "", "unknown"
        elif unrestricted:
            code, p = max(preds, key=lambda cp: cp[1])
            yield m.label(code, text), "%.6f" % min(1.0, p), code, ""
        else:
            kept, own = {}, {}
            for code, p in preds:
                if m.covers(code, wanted):
                    lab = m.label(code, text)
                    if lab in wanted:
                        kept[lab] = kept.get(lab, 0.0) + p
                        own.setdefault(lab, code)
            total = sum(kept.values())
            if total > 0:
                best = max(sorted(kept), key=lambda l: kept[l])
                yield best, "%.6f" % (kept[best] / total), own[best], ""
            else:
                yield "", "", "", "unknown"


def main(argv):
    ap = argparse.ArgumentParser(description="a peer's predictions as LABEL<TAB>PROB<TAB>OWN<TAB>NOTE")
    ap.add_argument("peer", choices=sorted(TABLE))
    ap.add_argument("file")
    ap.add_argument("--tools", required=True)
    ap.add_argument("--labels", default=",".join(LABELS_24))
    ap.add_argument("--unrestricted", action="store_true")
    a = ap.parse_args(argv[1:])
    if a.unrestricted and a.peer != "lid176":
        raise SystemExit("predict_peer.py: --unrestricted is for lid176 only")
    labels = read_labels(a.labels)
    tools = os.path.abspath(a.tools)
    m = PeerMap(TABLE[a.peer])
    texts = read_texts(a.file)
    if a.peer == "lid176":
        rows = predict_lid176(m, texts, labels, tools, a.unrestricted)
    else:
        rows = {"eld": predict_eld, "lingua": predict_lingua, "cld": predict_cld}[a.peer](m, texts, labels, tools)
    out = sys.stdout
    n = 0
    for row in rows:
        out.write("\t".join(row) + "\n")
        n += 1
    if n != len(texts):
        raise SystemExit("predict_peer.py: %d inputs but %d predictions" % (len(texts), n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
