#!/usr/bin/python3
"""A small reader for R's serialization format, standard library only.

Reads what data packages ship: .rds files, .rda/.RData files and lazy-load
databases (data/Rdata.rdx + data/Rdata.rdb, what `LazyData: true` installs),
gzip-, bzip2- or xz-compressed. It understands the types data sets are made
of: logical, integer, double, complex, character and raw vectors, lists,
pairlists, symbols, attributes (names, factors, data frames, tibbles), NULL,
environments and references, and the ALTREP forms R 3.5+ writes for compact
sequences, wrapped vectors and deferred strings. Closures, byte code and S4
objects are read far enough to skip past them when the reader can (not byte
code: it raises).

    import rdata
    objs = rdata.read_lazyload("modeldata/data/Rdata")   # {name: lazily read}
    df = objs["training_data"]()                          # an RObject
    cols = rdata.data_frame(df)                           # {column: [values]}

Values: character vectors become lists of str (None for NA), factors are
turned into their labels by data_frame()/factor_labels(), numbers become
Python ints/floats (None for NA).
"""

import bz2
import gzip
import lzma
import math
import struct
import zlib

# SEXP types
NILSXP, SYMSXP, LISTSXP, CLOSXP, ENVSXP, PROMSXP, LANGSXP = 0, 1, 2, 3, 4, 5, 6
SPECIALSXP, BUILTINSXP, CHARSXP, LGLSXP, INTSXP, REALSXP = 7, 8, 9, 10, 13, 14
CPLXSXP, STRSXP, DOTSXP, VECSXP, EXPRSXP, BCODESXP = 15, 16, 17, 19, 20, 21
EXTPTRSXP, WEAKREFSXP, RAWSXP, S4SXP = 22, 23, 24, 25
# serialization pseudo-types (R's serialize.c)
REFSXP, NILVALUE_SXP, GLOBALENV_SXP, UNBOUNDVALUE_SXP = 255, 254, 253, 252
MISSINGARG_SXP, BASENAMESPACE_SXP, NAMESPACESXP, PACKAGESXP = 251, 250, 249, 248
PERSISTSXP, EMPTYENV_SXP, BASEENV_SXP = 247, 242, 241
ATTRLANGSXP, ATTRLISTSXP, ALTREP_SXP = 240, 239, 238

NA_INTEGER = -2147483648
NA_REAL_BITS = 1954  # low word of R's NA_real_ payload

IS_OBJECT_BIT = 1 << 8
HAS_ATTR_BIT = 1 << 9
HAS_TAG_BIT = 1 << 10
# CHARSXP encoding bits (in the "levels" field)
BYTES_MASK, LATIN1_MASK, UTF8_MASK, ASCII_MASK = 1 << 1, 1 << 2, 1 << 3, 1 << 6


class RError(Exception):
    """The input is not R serialization this reader understands."""


class RObject:
    """An R value: its SEXP type, its value and its attributes.

    value is a list for vectors (str/None, int/None, float/None, bool/None,
    complex, RObject), bytes for raw vectors, str for symbols, a dict for
    environments; attributes is a dict name -> RObject (possibly empty).
    """

    __slots__ = ("type", "value", "attributes")

    def __init__(self, rtype, value=None, attributes=None):
        self.type = rtype
        self.value = value
        self.attributes = attributes if attributes is not None else {}

    def attr(self, name):
        """The attribute's value (the list inside it), or None."""
        a = self.attributes.get(name)
        return None if a is None else a.value

    def classes(self):
        return self.attr("class") or []

    def __len__(self):
        return len(self.value) if self.value is not None else 0

    def __repr__(self):
        v = self.value
        if isinstance(v, list) and len(v) > 6:
            v = "%r... (%d)" % (v[:6], len(v))
        return "RObject(type=%d, value=%s, attrs=%s)" % (self.type, v, sorted(self.attributes))


R_NULL = RObject(NILSXP, None)


def decompress(data):
    """Decompress gzip, bzip2 or xz data by its magic bytes; other data as is."""
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:3] == b"BZh":
        return bz2.decompress(data)
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(data)
    return data


class _Reader:
    """Reads one serialized R object from bytes (XDR binary or native binary)."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.refs = []  # reference table: environments and symbols, in order
        fmt = data[:2]
        if fmt == b"X\n":
            self.int_fmt, self.dbl_fmt = ">i", ">d"
        elif fmt == b"B\n":
            self.int_fmt, self.dbl_fmt = "<i", "<d"
        elif fmt == b"A\n":
            raise RError("ASCII serialization is not supported")
        else:
            raise RError("not R serialization (format %r)" % fmt)
        self.pos = 2
        self.version = self.read_int()
        self.writer_version = self.read_int()
        self.min_reader_version = self.read_int()
        if self.version not in (2, 3):
            raise RError("serialization version %d is not supported" % self.version)
        self.native_encoding = None
        if self.version == 3:
            n = self.read_int()
            self.native_encoding = self.take(n).decode("ascii", "replace")

    # primitive reads
    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise RError("truncated data at byte %d (wanted %d bytes)" % (self.pos, n))
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def read_int(self):
        return struct.unpack(self.int_fmt, self.take(4))[0]

    def read_length(self):
        n = self.read_int()
        if n == -1:  # long vector: two more ints
            hi, lo = self.read_int(), self.read_int()
            n = (hi << 32) + (lo & 0xFFFFFFFF)
        if n < 0:
            raise RError("negative length %d at byte %d" % (n, self.pos))
        return n

    def read_ints(self, n):
        vals = struct.unpack(self.int_fmt[0] + "%di" % n, self.take(4 * n))
        return [None if v == NA_INTEGER else v for v in vals]

    def read_doubles(self, n):
        raw = self.take(8 * n)
        vals = list(struct.unpack(self.dbl_fmt[0] + "%dd" % n, raw))
        for i, v in enumerate(vals):
            if math.isnan(v):
                bits = struct.unpack(self.int_fmt[0] + "Q", raw[8 * i:8 * i + 8])[0]
                if bits & 0xFFFFFFFF == NA_REAL_BITS:
                    vals[i] = None  # NA_real_ (NaN stays NaN)
        return vals

    # items
    def read_item(self):
        flags = self.read_int()
        t = flags & 0xFF
        levels = flags >> 12
        has_attr = bool(flags & HAS_ATTR_BIT)

        if t == NILVALUE_SXP:
            return R_NULL
        if t == EMPTYENV_SXP:
            return RObject(ENVSXP, {"<emptyenv>": True})
        if t == BASEENV_SXP:
            return RObject(ENVSXP, {"<baseenv>": True})
        if t == GLOBALENV_SXP:
            return RObject(ENVSXP, {"<globalenv>": True})
        if t == UNBOUNDVALUE_SXP or t == MISSINGARG_SXP:
            return R_NULL
        if t == BASENAMESPACE_SXP:
            return RObject(ENVSXP, {"<namespace:base>": True})
        if t == REFSXP:
            idx = flags >> 8  # packed index, or 0 and the index follows
            if idx == 0:
                idx = self.read_int()
            if idx < 1 or idx > len(self.refs):
                raise RError("bad reference %d (table has %d)" % (idx, len(self.refs)))
            return self.refs[idx - 1]
        if t == PERSISTSXP:
            names = self.read_string_vector()
            obj = RObject(ENVSXP, {"<persistent>": names})
            self.refs.append(obj)
            return obj
        if t == SYMSXP:
            name = self.read_item()  # a CHARSXP
            obj = RObject(SYMSXP, name.value)
            self.refs.append(obj)
            return obj
        if t == PACKAGESXP or t == NAMESPACESXP:
            names = self.read_string_vector()
            obj = RObject(ENVSXP, {"<namespace>": names})
            self.refs.append(obj)
            return obj
        if t == ENVSXP:
            locked = self.read_int()
            obj = RObject(ENVSXP, {})
            self.refs.append(obj)  # before the contents: they may refer to it
            enclos = self.read_item()
            frame = self.read_item()
            hashtab = self.read_item()
            attrib = self.read_item()
            env = {"<locked>": bool(locked), "<enclos>": enclos}
            for tag, val in _pairlist_items(frame):
                env[tag] = val
            if hashtab.type == VECSXP:
                for bucket in hashtab.value:
                    for tag, val in _pairlist_items(bucket):
                        env[tag] = val
            obj.value = env
            if attrib.type == LISTSXP:
                obj.attributes = dict(_pairlist_items(attrib))
            return obj
        if t in (LISTSXP, LANGSXP, CLOSXP, PROMSXP, DOTSXP, ATTRLANGSXP, ATTRLISTSXP):
            # a pairlist cell; read iteratively along the CDR to avoid deep recursion
            items = []
            first_attr = None
            cur_flags = flags
            while True:
                ct = cur_flags & 0xFF
                attr = self.read_attributes() if cur_flags & HAS_ATTR_BIT else None
                if first_attr is None:
                    first_attr = attr
                tag = self.read_item() if cur_flags & HAS_TAG_BIT else None
                car = self.read_item()
                items.append((tag.value if tag is not None and tag.type == SYMSXP else None, car))
                nxt = self.read_int()
                nt = nxt & 0xFF
                if nt in (LISTSXP, LANGSXP, DOTSXP, ATTRLANGSXP, ATTRLISTSXP) and ct not in (CLOSXP, PROMSXP):
                    cur_flags = nxt
                    continue
                # not a continuation cell: push back and read it as an item
                self.pos -= 4
                tail = self.read_item()
                if tail is not R_NULL:
                    items.append((None, tail))
                break
            rtype = {ATTRLANGSXP: LANGSXP, ATTRLISTSXP: LISTSXP}.get(t, t)
            return RObject(rtype, items, first_attr or {})
        if t == CHARSXP:
            n = self.read_int()
            if n == -1:
                return RObject(CHARSXP, None)
            raw = self.take(n)
            if levels & LATIN1_MASK:
                s = raw.decode("latin-1")
            elif levels & BYTES_MASK:
                s = raw.decode("utf-8", "surrogateescape")
            else:  # UTF-8, ASCII or native (UTF-8 on the systems that build packages)
                s = raw.decode("utf-8", "replace")
            return RObject(CHARSXP, s)
        if t == ALTREP_SXP:
            info = self.read_item()
            state = self.read_item()
            attr = self.read_item()
            obj = _altrep(info, state)
            if attr.type == LISTSXP:
                obj.attributes = dict(_pairlist_items(attr))
            return obj
        if t == S4SXP:
            obj = RObject(S4SXP, None)
        elif t == LGLSXP:
            n = self.read_length()
            obj = RObject(t, [None if v is None else bool(v) for v in self.read_ints(n)])
        elif t == INTSXP:
            n = self.read_length()
            obj = RObject(t, self.read_ints(n))
        elif t == REALSXP:
            n = self.read_length()
            obj = RObject(t, self.read_doubles(n))
        elif t == CPLXSXP:
            n = self.read_length()
            d = self.read_doubles(2 * n)
            obj = RObject(t, [complex(d[2 * i] or 0.0, d[2 * i + 1] or 0.0) for i in range(n)])
        elif t == STRSXP:
            n = self.read_length()
            obj = RObject(t, [self.read_item().value for _ in range(n)])
        elif t in (VECSXP, EXPRSXP):
            n = self.read_length()
            obj = RObject(t, [self.read_item() for _ in range(n)])
        elif t == RAWSXP:
            n = self.read_length()
            obj = RObject(t, self.take(n))
        elif t in (SPECIALSXP, BUILTINSXP):
            n = self.read_int()
            obj = RObject(t, self.take(n).decode("ascii", "replace"))
        elif t == EXTPTRSXP:
            obj = RObject(t, None)
            self.refs.append(obj)
            self.read_item()  # protected value
            self.read_item()  # tag
        elif t == WEAKREFSXP:
            obj = RObject(t, None)
            self.refs.append(obj)
        elif t == BCODESXP:
            raise RError("byte code is not supported (at byte %d)" % self.pos)
        else:
            raise RError("unknown SEXP type %d at byte %d" % (t, self.pos - 4))
        if has_attr:
            obj.attributes = self.read_attributes()
        return obj

    def read_attributes(self):
        pl = self.read_item()
        return dict(_pairlist_items(pl)) if pl.type == LISTSXP else {}

    def read_string_vector(self):
        if self.read_int() != 0:
            raise RError("bad persistent/namespace name vector")
        n = self.read_int()
        return [self.read_item().value for _ in range(n)]


def _pairlist_items(pl):
    if pl is None or pl.type not in (LISTSXP, LANGSXP):
        return []
    return [(tag, val) for tag, val in pl.value]


def _altrep(info, state):
    """Materialise the ALTREP classes base R writes."""
    cls = info.value[0][1].value if info.type == LISTSXP and info.value else None
    if cls == "compact_intseq":
        n, start, step = (int(x) for x in state.value[:3])
        return RObject(INTSXP, [start + i * step for i in range(n)])
    if cls == "compact_realseq":
        n, start, step = state.value[:3]
        return RObject(REALSXP, [start + i * step for i in range(int(n))])
    if cls in ("wrap_integer", "wrap_real", "wrap_logical", "wrap_string",
               "wrap_complex", "wrap_raw", "wrap_list"):
        return RObject(state.value[0].type, state.value[0].value)
    if cls == "deferred_string":
        arg = state.value[0][1] if state.type == LISTSXP else state
        if arg.type == STRSXP:
            return RObject(STRSXP, arg.value)
        return RObject(STRSXP, [None if v is None else _num_to_str(v) for v in arg.value])
    raise RError("unsupported ALTREP class %r" % cls)


def _num_to_str(v):
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def unserialize(data):
    """One R object from serialized bytes (possibly compressed)."""
    return _Reader(decompress(data)).read_item()


def read_rds(path):
    with open(path, "rb") as f:
        return unserialize(f.read())


def read_rda(path):
    """The objects of an .rda/.RData file: {name: RObject}."""
    with open(path, "rb") as f:
        data = decompress(f.read())
    if data[:5] not in (b"RDX2\n", b"RDX3\n", b"RDB2\n", b"RDB3\n"):
        raise RError("%s: not an .rda file (magic %r)" % (path, data[:5]))
    pl = _Reader(data[5:]).read_item()
    return dict(_pairlist_items(pl))


def _lazyload_entry(blob):
    """Decode one compressed entry of a lazy-load .rdb file."""
    if len(blob) < 5:
        raise RError("lazy-load entry too short")
    outlen = struct.unpack(">I", blob[:4])[0]
    kind = blob[4:5]
    if kind == b"Z":  # xz (R_compress3): raw LZMA2 stream
        out = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[
            {"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}]).decompress(blob[5:])
    elif kind == b"2":  # bzip2 (R_compress2)
        out = bz2.decompress(blob[5:])
    elif kind == b"0":  # stored
        out = blob[5:]
    else:  # zlib (R_compress1): no type byte
        out = zlib.decompress(blob[4:])
    if len(out) != outlen:
        raise RError("lazy-load entry: %d bytes decompressed, header says %d" % (len(out), outlen))
    return out


def read_lazyload(filebase):
    """The objects of a lazy-load database FILEBASE.rdx/.rdb: {name: function
    returning the RObject} (each read on demand)."""
    index = read_rds(filebase + ".rdx")
    parts = dict(zip(index.attr("names"), index.value))
    variables = parts["variables"]
    with open(filebase + ".rdb", "rb") as f:
        rdb = f.read()

    def loader(off_len):
        off, length = (int(x) for x in off_len.value[:2])

        def load():
            return unserialize(_lazyload_entry(rdb[off:off + length]))
        return load

    return {name: loader(ol) for name, ol in zip(variables.attr("names"), variables.value)}


def factor_labels(obj):
    """The labels of a factor (None for NA)."""
    levels = obj.attr("levels")
    return [None if c is None else levels[c - 1] for c in obj.value]


def data_frame(obj):
    """A data frame (or tibble) as {column name: list of values}, factors as labels."""
    if "data.frame" not in obj.classes():
        raise RError("not a data frame (class %r)" % obj.classes())
    out = {}
    for name, col in zip(obj.attr("names"), obj.value):
        if "factor" in col.classes():
            out[name] = factor_labels(col)
        else:
            out[name] = col.value
    return out


def nrow(obj):
    """Rows of a data frame (handles the compact row.names c(NA, -n))."""
    rn = obj.attr("row.names")
    if rn and len(rn) == 2 and rn[0] is None:
        return abs(rn[1])
    return len(rn) if rn is not None else 0
