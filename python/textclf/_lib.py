"""Finding and declaring the textclf C library (libtextclf.so) for ctypes.

The binding is ctypes over the shared library: nothing is compiled for it, and ctypes releases
the GIL around every foreign call (docs/python.md says why this was chosen). This module finds
the library, declares the functions and structures of src/textclf.h that the binding uses, and
turns a filled tc_error into a TextclfError. Nothing here is public API.

Search order for the library (the first that exists is loaded; docs/python.md):
  1. the environment variable TEXTCLF_LIBRARY, a path to the shared library (set: nothing else
     is tried);
  2. the source tree this package sits in: ../../build/libtextclf.so.0 from this file, which
     `make` builds;
  3. the dynamic linker's search (an installed library): ctypes.util.find_library('textclf'),
     else the soname libtextclf.so.0 itself.
"""

import ctypes
import ctypes.util
import os
import threading

__all__ = ['TextclfError', 'library', 'library_path', 'source_tree']

SONAME = 'libtextclf.so.0'

# tc_status (textclf.h)
TC_OK = 0
TC_ERR_NOMEM = 1
TC_ERR_IO = 2
TC_ERR_MODEL = 3
TC_ERR_INPUT = 4
TC_ERR_ARG = 5
STATUS_NAMES = {TC_OK: 'ok', TC_ERR_NOMEM: 'nomem', TC_ERR_IO: 'io', TC_ERR_MODEL: 'model',
                TC_ERR_INPUT: 'input', TC_ERR_ARG: 'arg'}

# per-call flags and tc_embed_layer (textclf.h)
TC_STRICT_UTF8 = 1
TC_NO_ABSTAIN = 2
TC_EMBED_POOLED = 0
TC_EMBED_HIDDEN = 1


class TextclfError(Exception):
    """An error reported by the textclf library.

    str(error) is the library's own one-line description (tc_error_format: "file:line:col:
    message" or "file: $.json.path: message"), as the textclf program prints it after
    "textclf: ". The parts are attributes too.

    Attributes
    ----------
    code : str
        'nomem', 'io', 'model', 'input' or 'arg' (tc_status: TC_ERR_NOMEM, ...).
    file : str
        The file the problem is in ('' if none).
    line, column : int
        1-based position in that file, 0 when unknown.
    path : str
        A JSON path such as '$.tensors["attn.in_proj_weight"]' ('' if none).
    message : str
        What went wrong, without the position.
    """

    def __init__(self, text, code, file='', line=0, column=0, path='', message=''):
        super().__init__(text)
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message or text


class Error(ctypes.Structure):
    """tc_error"""
    _fields_ = [('code', ctypes.c_int), ('line', ctypes.c_int), ('column', ctypes.c_int),
                ('file', ctypes.c_char * 1024), ('path', ctypes.c_char * 256),
                ('message', ctypes.c_char * 512)]


class DocInfo(ctypes.Structure):
    """tc_doc_info"""
    _fields_ = [('tokens', ctypes.c_int64), ('truncated', ctypes.c_int),
                ('invalid_utf8', ctypes.c_int64), ('invalid_offset', ctypes.c_int64),
                ('letter_words', ctypes.c_int64), ('unknown_words', ctypes.c_int64),
                ('abstain', ctypes.c_int)]


class ModelInfo(ctypes.Structure):
    """tc_model_info"""
    _fields_ = [('dim', ctypes.c_int), ('heads', ctypes.c_int), ('head_dim', ctypes.c_int),
                ('max_len', ctypes.c_int), ('hidden', ctypes.c_int),
                ('num_labels', ctypes.c_int), ('vocab_size', ctypes.c_int64),
                ('residual', ctypes.c_int), ('activation', ctypes.c_char_p),
                ('parameters', ctypes.c_int64), ('weights_file', ctypes.c_char_p),
                ('vocab_file', ctypes.c_char_p), ('normalize', ctypes.c_char_p),
                ('case_mode', ctypes.c_char_p), ('pretokenize', ctypes.c_char_p),
                ('unk_token', ctypes.c_char_p), ('continuation_prefix', ctypes.c_char_p),
                ('strip_accents', ctypes.c_int), ('max_word_chars', ctypes.c_int),
                ('split_scripts', ctypes.c_char_p), ('word_apostrophes', ctypes.c_int),
                ('abstain_label', ctypes.c_char_p),
                ('abstain_min_probability', ctypes.c_double),
                ('abstain_max_unknown', ctypes.c_double),
                ('abstain_letterless', ctypes.c_int), ('ngram_buckets', ctypes.c_int64),
                ('ngram_min', ctypes.c_int), ('ngram_max', ctypes.c_int),
                ('position', ctypes.c_char_p), ('output', ctypes.c_char_p)]


class ExplainedWord(ctypes.Structure):
    """tc_explained_word"""
    _fields_ = [('text', ctypes.c_char_p), ('text_len', ctypes.c_size_t),
                ('first_token', ctypes.c_int), ('num_tokens', ctypes.c_int),
                ('effect', ctypes.c_float), ('evidence', ctypes.c_float)]


class Explanation(ctypes.Structure):
    """tc_explanation"""
    _fields_ = [('probs', ctypes.POINTER(ctypes.c_float)), ('top', ctypes.c_int),
                ('num_tokens', ctypes.c_int), ('ids', ctypes.POINTER(ctypes.c_int32)),
                ('attention', ctypes.POINTER(ctypes.c_float)), ('num_words', ctypes.c_int),
                ('words', ctypes.POINTER(ExplainedWord)),
                ('probs_without', ctypes.POINTER(ctypes.c_float)), ('info', DocInfo)]


_P = ctypes.c_void_p            # tc_model *, tc_session *: opaque
_PP = ctypes.POINTER(ctypes.c_void_p)
_ERR = ctypes.POINTER(Error)
_INFO = ctypes.POINTER(DocInfo)
_FLOATS = ctypes.POINTER(ctypes.c_float)
_TEXT = ctypes.c_char_p         # bytes pass as they are: NUL inside is fine with a length
_ADDR = ctypes.c_void_p         # a pointer given as an int (ctypes.addressof + offset)

# name: (restype, argtypes), as src/textclf.h declares them
_PROTOTYPES = {
    'tc_error_format': (ctypes.c_char_p, [_ERR, ctypes.c_char_p, ctypes.c_size_t]),
    'tc_model_load': (ctypes.c_int, [ctypes.c_char_p, _PP, _ERR]),
    'tc_model_load_memory': (ctypes.c_int, [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t,
                                            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                                            ctypes.c_size_t, _PP, _ERR]),
    'tc_model_free': (None, [_P]),
    'tc_model_get_info': (None, [_P, ctypes.POINTER(ModelInfo)]),
    'tc_model_num_labels': (ctypes.c_int, [_P]),
    'tc_model_label': (ctypes.c_char_p, [_P, ctypes.c_int]),
    'tc_model_label_withheld': (ctypes.c_int, [_P, ctypes.c_int]),
    'tc_model_token': (ctypes.c_char_p, [_P, ctypes.c_int64]),
    'tc_model_metadata': (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_void_p), _ERR]),
    'tc_session_init': (ctypes.c_int, [_P, _PP, _ERR]),
    'tc_session_free': (None, [_P]),
    # the batch loops' calls take addresses as ints: cheaper than a pointer object per call
    'tc_classify': (ctypes.c_int, [_P, _TEXT, ctypes.c_size_t, ctypes.c_int, _ADDR, _ADDR,
                                   _ADDR]),
    # one call for a range of documents (tc_classify_batch): text, offsets[n + 1], n, flags,
    # probs, infos, done, err
    'tc_classify_batch': (ctypes.c_int, [_P, _TEXT, ctypes.POINTER(ctypes.c_size_t),
                                         ctypes.c_size_t, ctypes.c_int, _ADDR, _ADDR,
                                         ctypes.POINTER(ctypes.c_size_t), _ADDR]),
    'tc_rank_answers': (ctypes.c_int, [_P, ctypes.c_int, _ADDR, ctypes.c_int, _ADDR]),
    'tc_answer': (ctypes.c_int, [_P, ctypes.c_int, _FLOATS, _INFO]),
    'tc_abstain_string': (ctypes.c_char_p, [ctypes.c_int]),
    'tc_embed_dim': (ctypes.c_int, [_P, ctypes.c_int]),
    'tc_embed': (ctypes.c_int, [_P, _TEXT, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                                _ADDR, _ADDR, _ADDR]),
    'tc_tokenize': (ctypes.c_int, [_P, _TEXT, ctypes.c_size_t, ctypes.c_int,
                                   ctypes.POINTER(ctypes.POINTER(ctypes.c_int32)),
                                   ctypes.POINTER(ctypes.c_int64), _INFO, _ERR]),
    'tc_explain': (ctypes.c_int, [_P, _TEXT, ctypes.c_size_t, ctypes.c_int,
                                  ctypes.POINTER(Explanation), _ERR]),
}


def source_tree():
    """The root of the textclf source tree this package sits in (python/textclf/ in it), or
    None when it is not in one (an installed package)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if os.path.isfile(os.path.join(root, 'src', 'textclf.h')):
        return root
    return None


def _candidates():
    """The places to load the library from, in the order of the module's docstring, each as
    (what ctypes.CDLL is given, where it came from)."""
    env = os.environ.get('TEXTCLF_LIBRARY')
    if env:
        return [(env, 'TEXTCLF_LIBRARY')]
    found = []
    root = source_tree()
    if root is not None:
        built = os.path.join(root, 'build', SONAME)
        if os.path.exists(built):
            found.append((built, 'the source tree'))
    name = ctypes.util.find_library('textclf')
    found.append((name or SONAME, 'the dynamic linker'))
    return found


_lock = threading.Lock()
_lib = None
_lib_path = None


def library():
    """The loaded library, its functions declared; loaded at the first call (under a lock).

    Raises OSError naming every place tried when none has the library.
    """
    global _lib, _lib_path
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for name, origin in _candidates():
            try:
                lib = ctypes.CDLL(name)
            except OSError as e:
                tried.append('%s (%s): %s' % (name, origin, e))
                continue
            for fn, (restype, argtypes) in _PROTOTYPES.items():
                f = getattr(lib, fn)
                f.restype = restype
                f.argtypes = argtypes
            _lib, _lib_path = lib, name
            return lib
        hint = ('build it with `make` in the source tree, install it with `make install`, '
                'or set TEXTCLF_LIBRARY to its path')
        raise OSError('textclf: cannot load the textclf library (libtextclf.so.0): %s; tried: %s'
                      % (hint, '; '.join(tried)))


def library_path():
    """What the library was loaded from (a path, or the name given to the dynamic linker), or
    None before it is loaded."""
    return _lib_path


def error(err):
    """A TextclfError from a tc_error the library filled."""
    buf = ctypes.create_string_buffer(2048)
    text = library().tc_error_format(ctypes.byref(err), buf, len(buf))
    code = STATUS_NAMES.get(err.code, str(err.code))

    def dec(b):
        return b.decode('utf-8', 'replace')
    return TextclfError(dec(text), code, dec(err.file), err.line, err.column, dec(err.path),
                        dec(err.message))
