"""textclf: text classification with textclf models, from Python.

    >>> import textclf
    >>> model = textclf.Model()            # the built-in language identifier
    >>> model.predict(['Le chat dort sur le canapé', 'The cat is asleep'])
    [[('fr', 0.999...)], [('en', 0.998...)]]

A binding (ctypes) of the textclf C library, libtextclf.so: docs/python.md in the source tree.
"""

from ._lib import TextclfError
from ._model import Explanation, InvalidUTF8Warning, Model, Word

__all__ = ['Model', 'TextclfError', 'Explanation', 'Word', 'InvalidUTF8Warning', '__version__']

__version__ = '0.1.0'

for _cls in (Model, TextclfError, Explanation, Word, InvalidUTF8Warning):
    _cls.__module__ = __name__      # textclf.Model, not textclf._model.Model, in messages
del _cls
