"""textclf.Model: a loaded model, classifying, tokenising, explaining and embedding texts.

A Model owns one tc_model (read-only once loaded, shared by every thread) and a pool of
tc_sessions (the library's per-thread scratch memory): each call takes an idle session from the
pool, or makes one, and gives it back when done, so any number of Python threads may use one
Model at once, and a batch may be split over threads (threads=N) with no session shared.
ctypes releases the GIL during each library call, so those threads classify in parallel.
"""

import concurrent.futures
import ctypes
import itertools
import json
import os
import queue
import warnings
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Tuple

from . import _builtin, _lib

try:
    import numpy
except ImportError:          # predict_proba and embed then give lists of lists
    numpy = None

__all__ = ['Model', 'Explanation', 'Word', 'InvalidUTF8Warning']

# documents per task when a batch is split over threads: small enough to balance the threads,
# large enough that handing out tasks costs little
_CHUNK = 256


class InvalidUTF8Warning(UserWarning):
    """Some texts had invalid UTF-8, which was replaced with U+FFFD (as the textclf program
    does, and says on stderr)."""


class Word(NamedTuple):
    """One word of an explained text (tc_explained_word).

    text : the word as the model saw it, normalised (case-folded, ...), not a span of the input
    tokens : range of the indices of its tokens in Explanation.tokens
    effect : probability of the explained label minus its probability without this word
    evidence : the same change in log-odds (nats)
    """
    text: str
    tokens: range
    effect: float
    evidence: float


@dataclass(frozen=True)
class Explanation:
    """Why the model classified a text as it did (Model.explain; tc_explanation).

    label, probability : the label explained, the most probable one the model may answer
        (also when it abstains), and its probability
    abstain : None, or why the model's abstain rule fires: 'no-letters', 'unknown-words' or
        'low-probability' (the model then answers Model.abstain_label)
    probabilities : every label's probability, in Model.labels order (numpy array when numpy is
        present)
    tokens : the tokens the model used; attention : the attention each received (sums to 1)
    words : the words, in text order, each a Word
    probabilities_without : row w = the probabilities without word w's tokens
    truncated : the text had more than max_len tokens (only the first were used)
    """
    label: str
    probability: float
    abstain: Optional[str]
    probabilities: object
    tokens: List[str]
    attention: List[float]
    words: List[Word]
    probabilities_without: object
    truncated: bool


def _encode(text):
    """The bytes of one text: bytes-like as it is; str as UTF-8, lone surrogates made by
    surrogateescape decoding back to their original bytes, other lone surrogates as their
    (ill-formed) three-byte sequences, which the library replaces with U+FFFD."""
    if isinstance(text, bytes):
        return text
    if isinstance(text, str):
        try:
            return text.encode('utf-8')
        except UnicodeEncodeError:
            try:
                return text.encode('utf-8', 'surrogateescape')
            except UnicodeEncodeError:
                return text.encode('utf-8', 'surrogatepass')
    if isinstance(text, (bytearray, memoryview)):
        return bytes(text)
    raise TypeError('textclf: a text must be str or bytes, not %s' % type(text).__name__)


def _batch(texts):
    """(list of the texts' bytes, whether texts was one text rather than a sequence)."""
    if isinstance(texts, (str, bytes, bytearray, memoryview)):
        return [_encode(texts)], True
    try:
        return [_encode(t) for t in texts], False
    except TypeError as e:
        if 'a text must be' in str(e):
            raise
        raise TypeError('textclf: texts must be a str, bytes, or an iterable of them, not %s'
                        % type(texts).__name__) from None


def _threads(threads):
    """The number of threads a batch call uses: threads, or every CPU this process may use for
    None."""
    if threads is None:
        return len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') \
            else (os.cpu_count() or 1)
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError('textclf: threads must be a positive int or None, not %r' % (threads,))
    return threads


class _Handle:
    """Owns one tc_model (and what must outlive it: the built-in model's data object)."""

    def __init__(self, ptr, keep):
        self.ptr = ptr
        self.keep = keep
        self.lib = _lib.library()

    def __del__(self):
        if self.ptr:
            self.lib.tc_model_free(self.ptr)
            self.ptr = None


class _Session:
    """Owns one tc_session of a model; holds the model's _Handle so that the model is freed
    after its sessions (textclf.h: sessions before their model)."""

    def __init__(self, handle):
        self.handle = handle
        self.lib = handle.lib
        self.ptr = ctypes.c_void_p()
        err = _lib.Error()
        if self.lib.tc_session_init(handle.ptr, ctypes.byref(self.ptr),
                                    ctypes.byref(err)) != _lib.TC_OK:
            raise _lib.error(err)

    def __del__(self):
        if self.ptr:
            self.lib.tc_session_free(self.ptr)
            self.ptr = None


class Model:
    """A textclf model.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The model's JSON file (docs/model-format.md); the files it names are read with it.
        None (the default): the built-in model, the one the textclf program uses without -m
        (docs/python.md says where it is found).

    Raises
    ------
    TextclfError
        The library refused the model: str(error) is its message, with the file, line and
        column, or the JSON path, of the problem ("m.json:3:7: invalid JSON: ...").
    FileNotFoundError
        path is None and the built-in model is in none of the places docs/python.md lists.
    OSError
        The textclf library (libtextclf.so.0) cannot be loaded.

    Attributes
    ----------
    labels : tuple of str
        The model's labels, in its order: the columns of predict_proba.
    abstain_label : str or None
        The label answered when the model's abstain rule fires ('und'), None without a rule.
    withheld : tuple of str
        The labels the abstain rule withholds (never answered while the rule is on).
    source : str
        Where the model came from: path, or the built-in model's file.
    """

    def __init__(self, path=None):
        lib = _lib.library()
        if path is None:
            ptr, keep, source = _builtin.load()
        else:
            source = os.fspath(path)
            ptr, keep = ctypes.c_void_p(), None
            err = _lib.Error()
            if lib.tc_model_load(os.fsencode(source), ctypes.byref(ptr),
                                 ctypes.byref(err)) != _lib.TC_OK:
                raise _lib.error(err)
        self._lib = lib
        self._handle = _Handle(ptr, keep)
        self._idle = queue.SimpleQueue()      # sessions no call is using
        self.source = source
        n = lib.tc_model_num_labels(ptr)
        self.labels = tuple(lib.tc_model_label(ptr, i).decode('utf-8') for i in range(n))
        self.withheld = tuple(self.labels[i] for i in range(n)
                              if lib.tc_model_label_withheld(ptr, i))
        info = _lib.ModelInfo()
        lib.tc_model_get_info(ptr, ctypes.byref(info))
        self.abstain_label = info.abstain_label.decode('utf-8') if info.abstain_label else None
        # a multi-label model (config.output "sigmoid"): every label has its own probability
        self.multi_label = info.output == b'sigmoid'
        self._embed_dims = {'pooled': lib.tc_embed_dim(ptr, _lib.TC_EMBED_POOLED),
                            'hidden': lib.tc_embed_dim(ptr, _lib.TC_EMBED_HIDDEN)}

    def __repr__(self):
        return 'textclf.Model(%r)' % self.source

    # ---- what the model is ------------------------------------------------------------------

    @property
    def info(self):
        """The model's sizes and settings (tc_model_get_info) as a dict: dim, heads, max_len,
        vocab_size, parameters, tokenizer settings, the abstain rule, ... (as `textclf info`)."""
        info = _lib.ModelInfo()
        self._lib.tc_model_get_info(self._handle.ptr, ctypes.byref(info))
        out = {}
        for name, _ in _lib.ModelInfo._fields_:
            v = getattr(info, name)
            out[name] = v.decode('utf-8') if isinstance(v, bytes) else v
        return out

    @property
    def metadata(self):
        """The model file's "metadata" (what `textclf train` recorded) parsed from JSON, or
        None when it has none."""
        out = ctypes.c_void_p()
        err = _lib.Error()
        if self._lib.tc_model_metadata(self._handle.ptr, ctypes.byref(out),
                                       ctypes.byref(err)) != _lib.TC_OK:
            raise _lib.error(err)
        if not out.value:
            return None
        try:
            text = ctypes.string_at(out.value).decode('utf-8')
        finally:
            _free(out.value)
        return json.loads(text)

    # ---- sessions ---------------------------------------------------------------------------

    def _take(self):
        """An idle session, or a new one."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return _Session(self._handle)

    def _run(self, docs, threads, work):
        """Calls work(session, lo, hi) over docs[lo:hi) ranges covering docs, on `threads`
        threads, each range with a session no other thread uses. Raises the first error
        (in text order) once every range is done."""
        n = len(docs)
        threads = _threads(threads)
        ranges = [(lo, min(n, lo + _CHUNK)) for lo in range(0, n, _CHUNK)] or [(0, 0)]

        def task(r):
            s = self._take()
            try:
                work(s, r[0], r[1])
            finally:
                self._idle.put(s)
        if threads == 1 or len(ranges) == 1:
            for r in ranges:
                task(r)
            return
        with concurrent.futures.ThreadPoolExecutor(min(threads, len(ranges))) as pool:
            futures = [pool.submit(task, r) for r in ranges]
        for f in futures:
            f.result()

    def _classify_all(self, docs, flags, threads, each=None):
        """Classifies every doc: returns (probs, infos), probs a ctypes float array of
        len(docs) rows of len(labels), infos an array of DocInfo. each(i, row, info), if
        given, is called in the worker thread after doc i."""
        lib, C = self._lib, len(self.labels)
        probs = (ctypes.c_float * (len(docs) * C))()
        infos = (_lib.DocInfo * len(docs))()
        row_bytes = C * ctypes.sizeof(ctypes.c_float)
        probs_at, infos_at = ctypes.addressof(probs), ctypes.addressof(infos)
        info_bytes = ctypes.sizeof(_lib.DocInfo)
        batch = lib.tc_classify_batch

        def work(s, lo, hi):
            # the range in one library call (tc_classify_batch), the GIL released for all of it:
            # the documents back to back, document i at offsets[i - lo] .. offsets[i - lo + 1]
            err, done = _lib.Error(), ctypes.c_size_t()
            offsets = (ctypes.c_size_t * (hi - lo + 1))(0, *itertools.accumulate(
                len(docs[i]) for i in range(lo, hi)))
            if batch(s.ptr, b''.join(docs[lo:hi]), offsets, hi - lo, flags,
                     probs_at + lo * row_bytes, infos_at + lo * info_bytes, ctypes.byref(done),
                     ctypes.addressof(err)) != _lib.TC_OK:
                raise _lib.error(err)
            if each is not None:
                for i in range(lo, hi):
                    each(i, probs_at + i * row_bytes, infos[i])
        self._run(docs, threads, work)
        _warn_invalid(infos)
        return probs, infos

    # ---- classifying ------------------------------------------------------------------------

    def predict(self, texts, k=None, threshold=None, abstain=True, threads=1):
        """The labels of each text, most probable first, as the textclf program prints them.

        Parameters
        ----------
        texts : str, bytes, or an iterable of them
            The texts (bytes: any bytes; invalid UTF-8 is replaced with U+FFFD, with an
            InvalidUTF8Warning).
        k : int or None
            At most this many labels per text (-k); -1: every label (--all). None (the
            default): 1, or for a multi-label model (multi_label) every label.
        threshold : float or None
            Only labels with probability >= threshold (-t), in [0, 1]. None (the default):
            0, or for a multi-label model with k None 0.5 (the program's default for it).
        abstain : bool
            False: never abstain (--no-abstain); the model's withheld labels are then answered
            too.
        threads : int or None
            Classify on this many threads (None: one per CPU). The result does not depend on it.

        Returns
        -------
        For each text (or for the one text given as a str or bytes) a list of (label,
        probability) pairs, most probable first: the labels the model may answer, at most k,
        each at or above the threshold (an empty list when none is). When the model abstains
        the list starts with (abstain_label, None), followed by those pairs: the first pair is
        always the answer, and a probability of None marks an abstention, as the program's
        empty second field does. Probabilities are the float32 values as Python floats
        (`'%.6f' % p` is what the program prints).
        """
        if k is None:   # as the program: a multi-label model answers every label >= 0.5
            k, threshold = (-1, 0.5 if threshold is None else threshold) if self.multi_label \
                else (1, threshold)
        if threshold is None:
            threshold = 0.0
        if isinstance(k, bool) or not isinstance(k, int) or not (k >= 1 or k == -1):
            raise ValueError('textclf: k must be a positive int or -1 (every label), not %r'
                             % (k,))
        threshold = float(threshold)
        if not 0.0 <= threshold <= 1.0:
            raise ValueError('textclf: threshold must be in [0, 1], not %r' % (threshold,))
        docs, single = _batch(texts)
        lib, m, labels = self._lib, self._handle.ptr, self.labels
        flags = 0 if abstain else _lib.TC_NO_ABSTAIN
        kk = len(labels) if k == -1 else min(k, len(labels))
        und = self.abstain_label
        results = [None] * len(docs)
        rank = lib.tc_rank_answers
        C = len(labels)

        def each(i, row, info):
            order = (ctypes.c_int * kk)()
            got = rank(m, flags, row, kk, ctypes.addressof(order))
            p = (ctypes.c_float * C).from_address(row)    # a view of the row, no copy
            res = [(und, None)] if info.abstain and und is not None else []
            for j in order[:got]:
                if p[j] < threshold:
                    break
                res.append((labels[j], p[j]))
            results[i] = res
        self._classify_all(docs, flags, threads, each)
        return results[0] if single else results

    def predict_proba(self, texts, threads=1):
        """Every label's probability for each text.

        Parameters
        ----------
        texts : str, bytes, or an iterable of them (as predict)
        threads : int or None (as predict)

        Returns
        -------
        numpy.ndarray of float32, shape (len(texts), len(labels)), columns in Model.labels
        order, each row summing to 1 within float rounding, except for a multi-label model
        (multi_label), whose labels have a probability each (shape (len(labels),) for one text
        given as a str or bytes). Withheld labels have their column too: these are the
        network's probabilities, before any abstain rule. Without numpy: lists of floats.
        """
        docs, single = _batch(texts)
        probs, _ = self._classify_all(docs, 0, threads)
        C = len(self.labels)
        if numpy is not None:
            out = numpy.frombuffer(probs, dtype=numpy.float32).reshape(len(docs), C)
        else:
            out = [probs[i * C:(i + 1) * C] for i in range(len(docs))]
        return out[0] if single else out

    def embed(self, texts, layer='pooled', threads=1):
        """One vector per text (tc_embed; `textclf embed`).

        Parameters
        ----------
        texts : str, bytes, or an iterable of them (as predict)
        layer : 'pooled' or 'hidden'
            'pooled': the mean over the tokens of the attention block's output (dim values);
            'hidden': the hidden layer's output (hidden values).
        threads : int or None (as predict)

        Returns
        -------
        numpy.ndarray of float32, shape (len(texts), dim) (shape (dim,) for one text given as
        a str or bytes); without numpy, lists of floats.
        """
        if layer not in self._embed_dims:
            raise ValueError("textclf: layer must be 'pooled' or 'hidden', not %r" % (layer,))
        which = _lib.TC_EMBED_POOLED if layer == 'pooled' else _lib.TC_EMBED_HIDDEN
        dim = self._embed_dims[layer]
        docs, single = _batch(texts)
        lib = self._lib
        out = (ctypes.c_float * (len(docs) * dim))()
        infos = (_lib.DocInfo * len(docs))()
        row_bytes = dim * ctypes.sizeof(ctypes.c_float)
        out_at, infos_at = ctypes.addressof(out), ctypes.addressof(infos)
        info_bytes = ctypes.sizeof(_lib.DocInfo)

        def work(s, lo, hi):
            err = _lib.Error()
            err_at, session = ctypes.addressof(err), s.ptr
            for i in range(lo, hi):
                d = docs[i]
                if lib.tc_embed(session, d, len(d), 0, which, out_at + i * row_bytes,
                                infos_at + i * info_bytes, err_at) != _lib.TC_OK:
                    raise _lib.error(err)
        self._run(docs, threads, work)
        _warn_invalid(infos, 3)
        if numpy is not None:
            vecs = numpy.frombuffer(out, dtype=numpy.float32).reshape(len(docs), dim)
        else:
            vecs = [out[i * dim:(i + 1) * dim] for i in range(len(docs))]
        return vecs[0] if single else vecs

    # ---- one text ---------------------------------------------------------------------------

    def tokenize(self, text, ids=False):
        """The tokens the model makes of one text (`textclf tokenize`).

        Parameters
        ----------
        text : str or bytes
        ids : bool
            True: the tokens' vocabulary ids (`textclf tokenize --ids`) instead of their
            strings.

        Returns
        -------
        list of str ('hel', '##lo', '[UNK]', ...) or of int: the first max_len tokens, those
        the model uses.
        """
        d = _encode(text)
        lib, m = self._lib, self._handle.ptr
        s = self._take()
        try:
            out = ctypes.POINTER(ctypes.c_int32)()
            count = ctypes.c_int64()
            info = _lib.DocInfo()
            err = _lib.Error()
            if lib.tc_tokenize(s.ptr, d, len(d), 0, ctypes.byref(out), ctypes.byref(count),
                               ctypes.byref(info), ctypes.byref(err)) != _lib.TC_OK:
                raise _lib.error(err)
            got = out[:count.value]    # copied now: the session owns the ids
        finally:
            self._idle.put(s)
        _warn_invalid([info], 3)
        if ids:
            return got
        return [lib.tc_model_token(m, i).decode('utf-8') for i in got]

    def explain(self, text, abstain=True):
        """Why the model classified one text as it did, word by word (`textclf explain`).

        Parameters
        ----------
        text : str or bytes
        abstain : bool
            False: the abstain rule is off (--no-abstain).

        Returns
        -------
        Explanation
            The label explained and its probability, whether the model abstains, and each
            word's effect and evidence (one forward pass per word: slower than predict).
        """
        d = _encode(text)
        lib, m, C = self._lib, self._handle.ptr, len(self.labels)
        flags = 0 if abstain else _lib.TC_NO_ABSTAIN
        s = self._take()
        try:
            ex = _lib.Explanation()
            err = _lib.Error()
            if lib.tc_explain(s.ptr, d, len(d), flags, ctypes.byref(ex),
                              ctypes.byref(err)) != _lib.TC_OK:
                raise _lib.error(err)
            # copied now: the session owns the explanation until its next call
            probs = ex.probs[:C]
            ids = ex.ids[:ex.num_tokens]
            attention = ex.attention[:ex.num_tokens]
            words = [Word(w.text[:w.text_len].decode('utf-8', 'replace'),
                          range(w.first_token, w.first_token + w.num_tokens),
                          w.effect, w.evidence)
                     for w in ex.words[:ex.num_words]]
            without = ex.probs_without[:ex.num_words * C]
            top, info = ex.top, _lib.DocInfo.from_buffer_copy(ex.info)
        finally:
            self._idle.put(s)
        _warn_invalid([info], 3)
        reason = lib.tc_abstain_string(info.abstain).decode() if info.abstain else None
        if numpy is not None:
            probs = numpy.array(probs, dtype=numpy.float32)
            without = numpy.array(without, dtype=numpy.float32).reshape(len(words), C)
        else:
            without = [without[w * C:(w + 1) * C] for w in range(len(words))]
        return Explanation(label=self.labels[top], probability=float(probs[top]),
                           abstain=reason, probabilities=probs,
                           tokens=[lib.tc_model_token(m, i).decode('utf-8') for i in ids],
                           attention=attention, words=words, probabilities_without=without,
                           truncated=bool(info.truncated))


def _free(ptr):
    """free() from the C library, for what the library hands over to be freed with free()."""
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    libc.free.restype = None
    libc.free(ptr)


def _warn_invalid(infos, stacklevel=4):
    """One InvalidUTF8Warning when some of the texts had invalid UTF-8: the first one's index
    and byte offset, and how many had some (the program's two warnings, in one). stacklevel:
    that of the user's call, counted from here."""
    bad = [i for i, info in enumerate(infos) if info.invalid_utf8]
    if not bad:
        return
    first = infos[bad[0]]
    warnings.warn('textclf: text %d: invalid UTF-8 at byte %d replaced with U+FFFD '
                  '(%d text%s had invalid UTF-8)'
                  % (bad[0], first.invalid_offset, len(bad), '' if len(bad) == 1 else 's'),
                  InvalidUTF8Warning, stacklevel=stacklevel)
