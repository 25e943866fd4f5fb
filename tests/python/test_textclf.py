"""Tests of the Python binding (python/textclf/) against the textclf program of the same build.

Usage: test_textclf.py TEXTCLF BUILD   (tests/python/run.sh runs it; BUILD holds
libtextclf.so.0 and textclf-builtin.so). Prints PASS/FAIL lines and ends with
"N passed, N failed"; exits 1 on any failure.

What it checks:
  - predict gives, line for line, what `textclf` prints (TSV, 6 decimals, the abstain pair
    `und<TAB><TAB>`) over a few hundred varied lines (the hand-written shipped examples, Unicode
    of many scripts, empty and blank lines, NUL, invalid UTF-8 given as bytes, CRLF, a
    truncated long line), for the built-in model (Model() against textclf without -m), spam.json
    and lang-world.json (an abstain rule, withheld labels), under -k, -a, -t and --no-abstain;
    str texts give what their UTF-8 bytes give;
  - predict_proba is every label's probability (textclf -a --no-abstain), a numpy float32
    array; tokenize is `textclf tokenize` (tokens and --ids); explain is `textclf explain -f
    json`; embed is `textclf embed -f npy`, bit for bit, both layers;
  - threads: threads=4 and eight Python threads sharing one Model give the single thread's
    results; the GIL is released while the library classifies;
  - errors: every bad model of tests/models/bad raises TextclfError carrying the program's
    message (file:line:col or JSON path); a missing file; a missing library and a missing
    built-in model raise a clear OSError / FileNotFoundError; the installed layout's default;
  - `PYTHONPATH=python python3 -c 'import textclf'` from the source tree, with no setting, finds
    the build's library and built-in model; docs/python.md's quick start prints what it shows.
"""

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings

TEXTCLF, BUILD = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, 'models')
LIBRARY = os.path.join(BUILD, 'libtextclf.so.0')
os.environ['TEXTCLF_LIBRARY'] = LIBRARY       # the build under test, wherever it is
sys.path.insert(0, os.path.join(ROOT, 'python'))

import numpy                                  # noqa: E402  (python3-numpy: make test needs it)
import textclf                                # noqa: E402

passed = failed = 0


def check(name, ok, detail=''):
    """Counts and prints one check."""
    global passed, failed
    if ok:
        passed += 1
        print('PASS %s' % name)
    else:
        failed += 1
        print('FAIL %s%s' % (name, ('\n    ' + detail.replace('\n', '\n    ')) if detail else ''))


def first_diff(got, want):
    """Where two lists of lines first differ, for a failure's detail."""
    if len(got) != len(want):
        return 'got %d lines, expected %d' % (len(got), len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return 'line %d: got %r, expected %r' % (i + 1, g, w)
    return ''


def run(args, data=b''):
    """textclf's stdout for args on input data (stderr discarded: warnings). Its stdout is a
    file, as `embed -f npy` needs."""
    with tempfile.TemporaryFile() as out:
        p = subprocess.run([TEXTCLF] + args, input=data, stdout=out, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise RuntimeError('textclf %s: exit %d: %s' % (' '.join(args), p.returncode,
                                                            p.stderr.decode(errors='replace')))
        out.seek(0)
        return out.read()


def split_lines(data):
    """The documents textclf reads from data in line mode (docs/cli.md): LF or CRLF ends, a
    last line without a newline, no empty document after a final newline."""
    docs = data.split(b'\n')
    if docs and docs[-1] == b'':
        docs.pop()
    return [d[:-1] if d.endswith(b'\r') else d for d in docs]


def corpus():
    """A few hundred varied lines as bytes, in one input (no CR at its very end)."""
    lines = []
    shipped = os.path.join(ROOT, 'tests', 'shipped')
    for name in sorted(os.listdir(shipped)):
        if name.endswith('.txt'):
            with open(os.path.join(shipped, name), 'rb') as f:
                for line in f.read().splitlines():
                    lines.append(re.sub(rb'^__label__\S* ', b'', line))
    unicode_lines = [
        'Ελληνικά κείμενα με τόνους', 'עברית מימין לשמאל', 'العربية من اليمين إلى اليسار',
        'हिन्दी में एक वाक्य', '日本語の文とカタカナ', '한국어 문장입니다', 'ไทยไม่มีช่องว่าง',
        'emoji only 😀🎉👍🏽', '😀😀😀', 'e\u0301te\u0301 compose\u0301', 'ﬁnance ＡＢＣ',
        'zero\u200bwidth\u200djoiner', 'soft\u00adhyphen', 'mixed English и русский 中文',
        'https://www.example34.com/19759 api483@demo.ru', '12345 !!! ???', '\u2028sep',
        'İstanbul ıı ẞ straße', 'Ａｌｐｈａ ｆｕｌｌｗｉｄｔｈ', 'tab\tinside\tline',
    ]
    lines += [s.encode('utf-8') for s in unicode_lines]
    lines += [b'', b'   ', b'\t', b'nul\x00inside', b'caf\xe9 cr\xe8me', b'\xff\xfe\xfd',
              b'\xc0\xaf overlong', b'\xed\xa0\x80 surrogate', b'trunc\xe2\x82',
              b'ok \xf4\x90\x80\x80 above', b'\x80 lone continuation', b'crlf line\r',
              (' '.join(['word%d' % i for i in range(3000)])).encode()]
    return lines


LINES = corpus()
DATA = b'\n'.join(LINES) + b'\n'
DOCS = split_lines(DATA)                      # what the program reads: CRLF's CR gone


def tsv(result):
    """One predict result as the program's TSV line."""
    fields = []
    for label, p in result:
        fields += [label, '' if p is None else '%.6f' % p]
    return '\t'.join(fields)


# (textclf options, predict keywords)
OPTIONS = [([], {}), (['-k', '3'], {'k': 3}), (['-a'], {'k': -1}),
           (['-t', '0.1'], {'k': -1, 'threshold': 0.1}),
           (['-k', '2', '-t', '0.05'], {'k': 2, 'threshold': 0.05}),
           (['--no-abstain', '-k', '2'], {'k': 2, 'abstain': False}),
           (['--no-abstain', '-a'], {'k': -1, 'abstain': False})]
# (name, Model() argument, textclf -m arguments)
MODEL_CASES = [('built-in', None, []),
               ('spam.json', os.path.join(MODELS, 'spam.json'),
                ['-m', os.path.join(MODELS, 'spam.json')]),
               ('lang-world.json', os.path.join(MODELS, 'lang-world.json'),
                ['-m', os.path.join(MODELS, 'lang-world.json')])]
# and lang-world.json quantised (textclf quantize: its embedding and n-gram tables stay int8 in
# the library too)
QUANTISED = os.path.join(tempfile.mkdtemp(prefix='textclf-python-'), 'lang-world-q.json')
atexit.register(shutil.rmtree, os.path.dirname(QUANTISED), True)
subprocess.run([TEXTCLF, 'quantize', '-q', os.path.join(MODELS, 'lang-world.json'), QUANTISED],
               check=True)
MODEL_CASES.append(('lang-world.json quantised', QUANTISED, ['-m', QUANTISED]))


SIGMOID = os.path.join(ROOT, 'tests', 'models', 'tiny-sigmoid.json')


def test_predict_equals_cli():
    """predict, line for line, as textclf prints (a multi-label model too: by default every label
    at or above 0.5)."""
    check('the corpus has a few hundred lines, invalid UTF-8 and empty ones',
          len(DOCS) >= 400 and b'' in DOCS and b'\xff\xfe\xfd' in DOCS, str(len(DOCS)))
    for name, path, margs in MODEL_CASES + [('tiny-sigmoid.json', SIGMOID, ['-m', SIGMOID])]:
        model = textclf.Model(path)
        abstained = 0
        # a threshold equal to a probability (a float32 is a double exactly, and repr gives
        # that double back to the program's strtod): the label at it is shown (>=)
        edge = [p for _, p in model.predict(DOCS[1], k=3) if p is not None][-1]
        for cargs, kw in OPTIONS + [(['-k', '3', '-t', repr(edge)], {'k': 3, 'threshold': edge})]:
            want = run(margs + cargs, DATA).decode('utf-8').split('\n')[:-1]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                res = model.predict(DOCS, **kw)
            got = [tsv(r) for r in res]
            abstained += sum(1 for r in res if r and r[0][1] is None)
            check('%s: predict(%s) is textclf %s on %d lines'
                  % (name, ', '.join('%s=%r' % x for x in kw.items()), ' '.join(cargs),
                     len(DOCS)), got == want, first_diff(got, want))
            if 'threshold' in kw and kw['threshold'] == edge:
                check('%s: the label whose probability is the threshold is shown' % name,
                      edge in [p for _, p in res[1]], str(res[1]))
            check('%s: predict(%s) warns once about invalid UTF-8' % (name, kw),
                  len(caught) == 1 and issubclass(caught[0].category,
                                                  textclf.InvalidUTF8Warning),
                  str([str(w.message) for w in caught]))
        if model.abstain_label:
            check('%s: some lines abstain (%d results)' % (name, abstained), abstained > 0)
        # one text as a str, and the valid lines as str: what their bytes give
        valid = [d for d in DOCS if _valid(d)]
        check('%s: str texts give what their UTF-8 bytes give' % name,
              model.predict([d.decode() for d in valid], k=3) == model.predict(valid, k=3))
        check('%s: one text gives one result' % name,
              model.predict(DOCS[0].decode()) == model.predict([DOCS[0]])[0])


def _valid(b):
    try:
        b.decode('utf-8')
        return True
    except UnicodeDecodeError:
        return False


def test_predict_proba():
    """every label's probability, numpy float32, in labels order"""
    for name, path, margs in MODEL_CASES:
        model = textclf.Model(path)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            probs = model.predict_proba(DOCS)
        check('%s: predict_proba is float32 (%d, %d)' % (name, len(DOCS), len(model.labels)),
              isinstance(probs, numpy.ndarray) and probs.dtype == numpy.float32
              and probs.shape == (len(DOCS), len(model.labels)), repr(getattr(probs, 'shape', 0)))
        want = run(margs + ['-a', '--no-abstain'], DATA).decode().split('\n')[:-1]
        got = []
        for row in probs:
            order = sorted(range(len(row)), key=lambda c: (-row[c], c))
            got.append('\t'.join('%s\t%.6f' % (model.labels[c], row[c]) for c in order))
        check('%s: predict_proba is textclf -a --no-abstain' % name, got == want,
              first_diff(got, want))
        check('%s: rows sum to 1' % name,
              numpy.allclose(probs.sum(axis=1, dtype=numpy.float64), 1, atol=1e-5))
        one = model.predict_proba(DOCS[0])
        check('%s: one text gives one row' % name,
              one.shape == (len(model.labels),) and numpy.array_equal(one, probs[0]))


def test_tokenize():
    """tokenize is textclf tokenize (tokens and ids)"""
    model = textclf.Model()
    tokens = run(['tokenize'], DATA).decode().split('\n')[:-1]
    ids = run(['tokenize', '--ids'], DATA).decode().split('\n')[:-1]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        got_t = [' '.join(model.tokenize(d)) for d in DOCS]
        got_i = [' '.join(map(str, model.tokenize(d, ids=True))) for d in DOCS]
    check('tokenize is textclf tokenize', got_t == tokens, first_diff(got_t, tokens))
    check('tokenize(ids=True) is textclf tokenize --ids', got_i == ids, first_diff(got_i, ids))


def test_explain():
    """explain is textclf explain -f json"""
    for name, path, margs in MODEL_CASES[::2]:
        model = textclf.Model(path)
        docs = [d for d in DOCS if len(d) < 200][::8]
        data = b'\n'.join(docs) + b'\n'
        for cargs, abstain in (([], True), (['--no-abstain'], False)):
            want = [json.loads(x) for x in run(['explain', '-f', 'json', '-k', '1'] + margs
                                               + cargs, data).decode().split('\n')[:-1]]
            bad = []
            for i, (d, w) in enumerate(zip(docs, want)):
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    e = model.explain(d, abstain=abstain)
                g = {'labels': [{'label': e.label, 'probability': float('%.6f' % e.probability)}]}
                if e.abstain:
                    g['abstain'] = {'label': model.abstain_label, 'reason': e.abstain}
                g['words'] = [{'text': wd.text, 'tokens': list(wd.tokens),
                               'effect': float('%.6f' % wd.effect),
                               'evidence': float('%.4f' % wd.evidence)} for wd in e.words]
                g['tokens'] = [{'token': t, 'attention': float('%.6f' % a)}
                               for t, a in zip(e.tokens, e.attention)]
                g['truncated'] = e.truncated
                if g != w:
                    bad.append('line %d: got %s\n  expected %s' % (i + 1, g, w))
            check('%s: explain(abstain=%s) is textclf explain -f json %s on %d lines'
                  % (name, abstain, ' '.join(cargs), len(docs)),
                  len(want) == len(docs) and not bad, '\n'.join(bad[:2]))
    e = textclf.Model().explain('Le chat dort sur le canapé')
    row = e.probabilities_without
    check('explain: probabilities_without is (words, labels), probabilities in label order',
          row.shape == (len(e.words), len(e.probabilities))
          and e.probability == e.probabilities[list(textclf.Model().labels).index(e.label)])


def test_embed():
    """embed is textclf embed -f npy, bit for bit"""
    for name, path, margs in MODEL_CASES:
        model = textclf.Model(path)
        for layer in ('pooled', 'hidden'):
            with tempfile.TemporaryFile() as f:
                f.write(run(['embed', '--layer=' + layer, '-f', 'npy'] + margs, DATA))
                f.seek(0)
                want = numpy.load(f)
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                got = model.embed(DOCS, layer=layer)
            check('%s: embed(layer=%r) is textclf embed -f npy, bit for bit %s'
                  % (name, layer, want.shape),
                  got.dtype == numpy.float32 and got.shape == want.shape
                  and got.tobytes() == want.tobytes())


def test_threads():
    """threads=N and many Python threads on one Model give one thread's results"""
    with warnings.catch_warnings():    # the filters are global: set here, not in threads
        warnings.simplefilter('ignore')
        # the lines, and documents of four lines each: long ones keep the threads inside the
        # library at the same time, where sessions shared by threads would show (crash)
        long_docs = [b' '.join(DOCS[i:i + 4]) for i in range(len(DOCS))]
        _test_threads(textclf.Model(os.path.join(MODELS, 'lang-world.json')),
                      DOCS * 3 + long_docs * 2)


def _test_threads(model, docs):
    """test_threads with warnings off"""
    one = model.predict(docs, k=3)
    four = model.predict(docs, k=3, threads=4)
    p_one = model.predict_proba(docs)
    p_four = model.predict_proba(docs, threads=4)
    e_one = model.embed(docs)
    e_four = model.embed(docs, threads=None)
    check('predict(threads=4) gives one thread\'s results (%d texts)' % len(docs), one == four)
    check('predict_proba(threads=4) gives one thread\'s bits',
          p_one.tobytes() == p_four.tobytes())
    check('embed(threads=None) gives one thread\'s bits', e_one.tobytes() == e_four.tobytes())

    results = [None] * 8
    errors = []

    def worker(t):
        try:
            # each thread its own order, so that they are at different texts at once
            order = docs[t:] + docs[:t]
            r = model.predict_proba(order)
            results[t] = numpy.concatenate([r[len(docs) - t:], r[:len(docs) - t]])
        except Exception as e:    # reported below
            errors.append(repr(e))
    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check('eight Python threads on one Model give one thread\'s bits',
          not errors and all(r is not None and r.tobytes() == p_one.tobytes() for r in results),
          '; '.join(errors))


def test_gil_released():
    """Another Python thread runs while the library explains a long text. Python is told
    never to switch threads on its own (setswitchinterval), so the other thread can run only
    when the calling thread lets go of the GIL: ctypes.CDLL does around each call, PyDLL
    would not."""
    model = textclf.Model()
    text = ' '.join(['word%d' % i for i in range(2000)])
    inside = threading.Event()
    stop = threading.Event()
    seen = [0]                    # the other thread's turns while the library worked

    def other():
        while not stop.is_set():
            if inside.is_set():
                seen[0] += 1
            time.sleep(0.0001)    # lets go of the GIL, so that the caller gets it back
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    t = threading.Thread(target=other)
    t.start()
    try:
        for _ in range(50):       # until it has run once (at once, unless the machine is busy)
            inside.set()
            model.explain(text)
            inside.clear()
            if seen[0]:
                break
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    check('the GIL is released while the library works (other thread ran %d times)'
          % seen[0], seen[0] > 0)


def test_errors():
    """bad models raise TextclfError with textclf's message"""
    bad_dir = os.path.join(ROOT, 'tests', 'models', 'bad')
    names = sorted(n for n in os.listdir(bad_dir) if n.endswith('.json'))
    bad, with_position = [], 0
    for n in names:
        path = os.path.join(bad_dir, n)
        p = subprocess.run([TEXTCLF, '-m', path], input=b'', stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        want = p.stderr.decode('utf-8', 'replace').split('\n')[0]
        want = want[len('textclf: '):] if want.startswith('textclf: ') else want
        try:
            textclf.Model(path)
            bad.append('%s: loaded' % n)
        except textclf.TextclfError as e:
            if str(e) != want or e.code not in ('model', 'io', 'nomem'):
                bad.append('%s: %r (%s), textclf said %r' % (n, str(e), e.code, want))
            if e.line > 0 and e.column > 0 and str(e).startswith('%s:%d:%d: ' % (
                    e.file, e.line, e.column)):
                with_position += 1
    check('%d bad models raise TextclfError with textclf\'s message' % len(names),
          len(names) > 100 and not bad, '\n'.join(bad[:3]))
    check('%d of them say file:line:col' % with_position, with_position >= 10)
    try:
        textclf.Model(os.path.join(bad_dir, 'no-such-file.json'))
        check('a missing file raises TextclfError', False)
    except textclf.TextclfError as e:
        check('a missing file raises TextclfError (io): %s' % e,
              e.code == 'io' and 'No such file or directory' in str(e)
              and 'no-such-file.json' in str(e))
    for call, what in ((lambda m: m.predict(['x'], k=0), 'k=0'),
                       (lambda m: m.predict(['x'], threshold=1.5), 'threshold=1.5'),
                       (lambda m: m.predict(['x'], threads=0), 'threads=0'),
                       (lambda m: m.embed(['x'], layer='top'), "layer='top'")):
        try:
            call(textclf.Model())
            check('%s raises ValueError' % what, False)
        except ValueError as e:
            check('%s raises ValueError: %s' % (what, e), True)
    try:
        textclf.Model().predict([1])
        check('a text that is not str or bytes raises TypeError', False)
    except TypeError:
        check('a text that is not str or bytes raises TypeError', True)


def python(code, env_extra, cwd=ROOT, unset=('TEXTCLF_LIBRARY',)):
    """Runs code in a fresh /usr/bin/python3 with PYTHONPATH=python: (exit status, stdout,
    stderr)."""
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env['PYTHONPATH'] = os.path.join(ROOT, 'python')
    env.update(env_extra)
    p = subprocess.run(['/usr/bin/python3', '-c', code], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_finding():
    """where the library and the built-in model are found, and what happens when they are not"""
    lines = 'Le chat dort sur le canapé\nThe cat is asleep\n猫はソファで寝ています\n'
    want = run([], lines.encode()).decode()
    code = ('import textclf, sys\nm = textclf.Model()\n'
            'for r in m.predict(sys.argv[1:] or %r.splitlines()): '
            'print("\\t".join("%%s\\t%%.6f" %% x for x in r))\n'
            'print(textclf._lib.library_path(), m.source, file=sys.stderr)\n' % lines)
    if os.path.realpath(BUILD) == os.path.realpath(os.path.join(ROOT, 'build')):
        rc, out, err = python(code, {}, cwd=tempfile.gettempdir())
        check('from the source tree, no setting: the build\'s library and built-in model give '
              'textclf\'s answers (%s)' % err.strip(),
              rc == 0 and out == want and os.path.join(ROOT, 'build') in err, err)
        rc, out, err = python('import textclf', {}, cwd=ROOT)
        check("PYTHONPATH=python python3 -c 'import textclf' works", rc == 0, err)
    else:
        print('NOTE BUILD is not the source tree\'s build/: its default search not checked')
    rc, out, err = python(code, {'TEXTCLF_LIBRARY': '/nonexistent/libtextclf.so.0'})
    check('a missing library: OSError saying how to get one',
          rc != 0 and 'OSError: textclf: cannot load the textclf library' in err
          and 'make' in err, err[-400:])
    rc, _, err = python('import textclf', {'TEXTCLF_LIBRARY': '/nonexistent/libtextclf.so.0'})
    check('import textclf works without the library (the error comes with Model())', rc == 0, err)
    with tempfile.TemporaryDirectory() as tmp:
        lib = os.path.join(tmp, 'lib')
        os.mkdir(lib)
        shutil.copy(os.path.realpath(LIBRARY), os.path.join(lib, 'libtextclf.so.0'))
        rc, out, err = python(code, {'TEXTCLF_LIBRARY': os.path.join(lib, 'libtextclf.so.0')})
        check('no built-in model beside the library nor installed: FileNotFoundError naming '
              'where it looked', rc != 0 and 'FileNotFoundError: textclf: the built-in model '
              'was not found' in err and tmp in err, err[-400:])
        # an installed tree: PREFIX/lib and PREFIX/share/textclf/models (make install)
        share = os.path.join(tmp, 'share', 'textclf', 'models')
        os.makedirs(share)
        for f in os.listdir(MODELS):
            if f.startswith('lang-') and not f.startswith('lang-world') or f == 'lang.json':
                shutil.copy(os.path.join(MODELS, f), share)
        rc, out, err = python(code, {'TEXTCLF_LIBRARY': os.path.join(lib, 'libtextclf.so.0')})
        check('installed layout: Model() is share/textclf/models/lang.json, textclf\'s answers',
              rc == 0 and out == want and share in err, out + err)


def test_pip_install():
    """make install into a temporary prefix, pip install of python/ into a venv: from another
    directory, with only LD_LIBRARY_PATH (the prefix is not in the linker's cache), Model() is
    the installed library and share/textclf/models/lang.json, and answers as textclf does.
    Needs /usr/bin/python3's venv and pip (Debian: python3-venv, python3-pip); without them it
    says so and checks nothing."""
    probe = subprocess.run(['/usr/bin/python3', '-c', 'import ensurepip, venv, pip, wheel'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        print('NOTE pip install ./python not checked: /usr/bin/python3 has no venv, pip or wheel'
              ' (python3-venv, python3-pip)')
        return
    lines = 'Le chat dort sur le canapé\nThe cat is asleep\n'
    want = run([], lines.encode()).decode()
    with tempfile.TemporaryDirectory() as tmp:
        prefix, venv, src = (os.path.join(tmp, d) for d in ('usr', 'venv', 'src'))
        env = {k: v for k, v in os.environ.items() if k not in ('MAKEFLAGS', 'MFLAGS',
                                                                'MAKELEVEL')}
        steps = [['make', '--no-print-directory', '-C', ROOT, 'BUILD=' + BUILD, 'BIN=' + TEXTCLF,
                  '-o', TEXTCLF, '-o', os.path.join(BUILD, 'libtextclf.a'), 'install',
                  'PREFIX=' + prefix],
                 ['/usr/bin/python3', '-m', 'venv', '--system-site-packages', venv],
                 [os.path.join(venv, 'bin', 'pip'), 'install', '--no-index',
                  '--no-build-isolation', src]]
        # pip builds in the directory it is given: a copy, not the source tree
        shutil.copytree(os.path.join(ROOT, 'python'), src,
                        ignore=shutil.ignore_patterns('__pycache__'))
        for cmd in steps:
            p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if p.returncode != 0:
                check('pip install: %s' % ' '.join(cmd[:3]), False, p.stdout.decode()[-1500:])
                return
        env = {k: v for k, v in env.items() if k not in ('TEXTCLF_LIBRARY', 'PYTHONPATH')}
        env['LD_LIBRARY_PATH'] = os.path.join(prefix, 'lib')
        code = ('import textclf, sys\nm = textclf.Model()\n'
                'for r in m.predict(%r.splitlines()): '
                'print("\\t".join("%%s\\t%%.6f" %% x for x in r))\n'
                'print(textclf.__file__, textclf._lib.library_path(), m.source, file=sys.stderr)'
                % lines)
        p = subprocess.run([os.path.join(venv, 'bin', 'python'), '-c', code], cwd=tmp, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.stdout.decode(), p.stderr.decode()
        check('pip install ./python + make install: the installed package, library and '
              'lang.json give textclf\'s answers',
              p.returncode == 0 and out == want and err.startswith(venv)
              and os.path.join(prefix, 'share', 'textclf', 'models', 'lang.json') in err,
              out + err)


def test_doc_quick_start():
    """docs/python.md's quick start: its Python block, run from the source tree, prints the
    block after it"""
    with open(os.path.join(ROOT, 'docs', 'python.md'), encoding='utf-8') as f:
        doc = f.read()
    m = re.search(r'<!-- quick start -->\n```python\n(.*?)```\n\nprints\n\n```\n(.*?)```',
                  doc, re.S)
    if not m:
        check('docs/python.md has its quick start (a python block, then "prints")', False)
        return
    rc, out, err = python(m.group(1), {'TEXTCLF_LIBRARY': LIBRARY})
    check('docs/python.md\'s quick start prints what the page shows', rc == 0 and
          out == m.group(2), 'got:\n%s%s' % (out, err))


def test_info():
    """Model.info against `textclf info --format json`, field by field where both have it: a
    tc_model_info field the binding's ctypes copy lacks (or misplaces) shows up here."""
    tests_models = os.path.join(ROOT, 'tests', 'models')
    for path in (os.path.join(MODELS, 'spam.json'), os.path.join(MODELS, 'lang-world.json'),
                 os.path.join(tests_models, 'tiny-ngram.json'),
                 os.path.join(tests_models, 'tiny-sinusoidal.json'),
                 os.path.join(tests_models, 'tiny-pos-none.json'), SIGMOID):
        cli = json.loads(subprocess.run([TEXTCLF, 'info', '--format', 'json', path],
                                        capture_output=True, check=True).stdout)
        info = textclf.Model(path).info
        want = {k: cli[k] for k in ('dim', 'heads', 'head_dim', 'max_len', 'hidden',
                                    'vocab_size', 'activation', 'residual', 'position',
                                    'parameters')}
        want['residual'] = int(want['residual'])
        got = {k: info.get(k) for k in want}
        ng = cli.get('ngrams') or {'buckets': 0, 'min': 0, 'max': 0}
        want.update(ngram_buckets=ng['buckets'], ngram_min=ng['min'], ngram_max=ng['max'])
        got.update((k, info.get(k)) for k in ('ngram_buckets', 'ngram_min', 'ngram_max'))
        want['output'] = cli.get('output', 'softmax')   # "output" only for a sigmoid model
        got['output'] = info.get('output')
        check('info of %s equals textclf info' % os.path.basename(path), got == want,
              'got %r, want %r' % (got, want))


for test in (test_predict_equals_cli, test_predict_proba, test_tokenize, test_explain,
             test_embed, test_threads, test_gil_released, test_errors, test_finding,
             test_pip_install, test_doc_quick_start, test_info):
    try:
        test()
    except Exception as e:            # a test that crashes is a failure, the others still run
        import traceback
        check('%s ran to its end' % test.__name__, False, traceback.format_exc())

print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
