"""The built-in model: what Model() loads, the model the textclf program uses without -m.

The program carries its default model inside itself (src/cli_builtin_model.S, the Makefile's
DEFAULT_MODEL), not in libtextclf.so: putting it there would add its ~4.8 MB to every program
linked against the library. `make` links that same object file, alone, into a data-only shared
object, build/textclf-builtin.so, next to the library; Model() reads the model from it with
tc_model_load_memory, as the program does: the same bytes, whatever models/ holds later.

Where Model() looks, in order (docs/python.md):
  1. textclf-builtin.so in the directory of the loaded libtextclf (the build directory);
  2. share/textclf/models/lang.json beside the library's lib/ directory, or beside its parent
     (lib/x86_64-linux-gnu/): an installed tree, where `make install` puts the shipped models
     (lang.json is the shipped default, what the program carries unless DEFAULT_MODEL was
     changed).
Neither: FileNotFoundError naming both.
"""

import ctypes
import os

from . import _lib

__all__ = ['load']

BUILTIN_SO = 'textclf-builtin.so'
BUILTIN_NAME = '(built-in model)'     # as the program names it in messages
INSTALLED_DEFAULT = os.path.join('share', 'textclf', 'models', 'lang.json')


class _DlInfo(ctypes.Structure):
    """Dl_info (dlfcn.h)"""
    _fields_ = [('dli_fname', ctypes.c_char_p), ('dli_fbase', ctypes.c_void_p),
                ('dli_sname', ctypes.c_char_p), ('dli_saddr', ctypes.c_void_p)]


def library_dir():
    """The directory of the file the loaded libtextclf came from, or None when the C library
    cannot say (dladdr)."""
    lib = _lib.library()
    try:
        libc = ctypes.CDLL(None)
        dladdr = libc.dladdr
    except (OSError, AttributeError):
        return None
    dladdr.restype = ctypes.c_int
    dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
    info = _DlInfo()
    addr = ctypes.cast(lib.tc_model_load, ctypes.c_void_p).value
    if not dladdr(addr, ctypes.byref(info)) or not info.dli_fname:
        return None
    return os.path.dirname(os.path.realpath(os.fsdecode(info.dli_fname)))


def _symbol(dl, name):
    """The address of symbol name in the loaded object dl."""
    return ctypes.addressof(ctypes.c_char.in_dll(dl, name))


def _load_builtin_so(path):
    """Loads the model of the data object at path. Returns (tc_model pointer, the object,
    which must stay loaded as long as the model: its weights are used in place)."""
    dl = ctypes.CDLL(path)
    parts = []
    for name in ('tc_builtin_json', 'tc_builtin_vocab', 'tc_builtin_weights'):
        start, end = _symbol(dl, name), _symbol(dl, name + '_end')
        parts.append((start, end - start))
    (json, json_len), (vocab, vocab_len), (weights, weights_len) = parts
    lib = _lib.library()
    model = ctypes.c_void_p()
    err = _lib.Error()
    status = lib.tc_model_load_memory(BUILTIN_NAME.encode(), json, json_len,
                                      vocab if vocab_len else None, vocab_len,
                                      weights if weights_len else None, weights_len,
                                      ctypes.byref(model), ctypes.byref(err))
    if status != _lib.TC_OK:
        raise _lib.error(err)
    return model, dl


def load():
    """Loads the built-in model as the module docstring says. Returns (tc_model pointer,
    an object to keep alive with the model, or None; where it came from)."""
    here = library_dir()
    tried = []
    if here is not None:
        so = os.path.join(here, BUILTIN_SO)
        if os.path.isfile(so):
            model, keep = _load_builtin_so(so)
            return model, keep, so
        tried.append(so)
        parent = os.path.dirname(here)
        for prefix in (parent, os.path.dirname(parent)):
            json_path = os.path.join(prefix, INSTALLED_DEFAULT)
            if os.path.isfile(json_path):
                model = ctypes.c_void_p()
                err = _lib.Error()
                if _lib.library().tc_model_load(os.fsencode(json_path), ctypes.byref(model),
                                                ctypes.byref(err)) != _lib.TC_OK:
                    raise _lib.error(err)
                return model, None, json_path
            tried.append(json_path)
    else:
        tried.append('(the directory of libtextclf: dladdr could not say)')
    raise FileNotFoundError(
        'textclf: the built-in model was not found: not at %s; run `make` in the source tree '
        '(it builds build/%s), or `make install`, or give Model() the path of a model JSON file'
        % (' nor at '.join(tried), BUILTIN_SO))
