/*
 * failalloc.c - an LD_PRELOAD allocator for tests/faults/oom.sh: makes one chosen allocation
 * fail, and reports at exit the allocations still live.
 *
 *   FAILALLOC_SITE=k       the first allocation from the k-th distinct allocation site seen
 *                          after main started returns NULL with errno ENOMEM; every other
 *                          allocation succeeds (unset or 0: none fails)
 *   FAILALLOC_REPORT=path  written at exit (key value lines): the number of sites, the largest
 *                          single request, whether an allocation was made to fail and where,
 *                          the sites in order, and the allocations made after main started
 *                          that are still live
 *
 * A site is where memory is asked for, with where in the program that comes from: the return
 * address of malloc, calloc, realloc, aligned_alloc, strdup or strndup, paired with the next
 * return address on the stack that lies in the main program. For a call from textclf that is
 * its caller (so a helper such as tc_buf_reserve is one site per caller); for a call from libc
 * (fopen, getline, qsort), cJSON or utf8proc it is the textclf function that called the
 * library. Sites are numbered in the order they are first seen, which one thread makes
 * deterministic. (textclf and those libraries allocate with nothing else: posix_memalign,
 * memalign and valloc are not interposed.)
 *
 * Not sites, and not counted as leaks: allocations whose return address is in the dynamic loader
 * (dlopen of OpenBLAS by `textclf train`, dlerror), in OpenBLAS or in the libraries only it uses
 * (libgfortran, libquadmath, libgomp). Their failures are theirs to handle and cannot be made
 * clean from textclf; what textclf does when dlopen fails is tested by tests/train.
 *
 * Allocations made before main (library constructors) are neither failed nor tracked. At exit the
 * report is written from an atexit handler registered just before main runs (so it runs after the
 * program's own handlers), after __libc_freeres has returned libc's own buffers (stdio, ...).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
extern void __libc_freeres(void) __attribute__((weak));

#define TLS __thread __attribute__((tls_model("initial-exec")))
#define MAX_SITES (1u << 16)   /* distinct sites; a power of two */
#define MAX_LIVE (1u << 20)    /* live allocations tracked, at most half this; a power of two */
#define MAX_MODS (1u << 14)    /* code addresses outside the program, classified */
#define STACK_DEPTH 64

enum { MOD_PROGRAM = 1, MOD_LIBRARY, MOD_EXCLUDED };

typedef struct {
    uintptr_t ra, caller;   /* return address, and the program's return address above it */
    int number;             /* 1-based order of first use; 0: excluded */
    int64_t calls;
} site;

typedef struct {
    uintptr_t ptr;          /* 0 empty */
    size_t size;
    int site;               /* index in sites[] */
} live;

typedef struct {
    uintptr_t ra;
    int kind;
} module_class;

static site *sites;            /* [MAX_SITES] open addressing on (ra, caller) */
static uint32_t *numbered;     /* [MAX_SITES] index in sites[] of site number k */
static live *lives;            /* [MAX_LIVE] linear probing, backward-shift deletion */
static module_class mods[MAX_MODS];   /* open addressing on the address */
static uint32_t nmods;
static int nsites;             /* numbered sites */
static int64_t nlive, nallocs;
static atomic_flag lock = ATOMIC_FLAG_INIT;
static atomic_int started;     /* main is running: allocations are sites and are tracked */
static int fail_at;            /* FAILALLOC_SITE */
static int failed_site = -1;   /* index in sites[] of the allocation made to fail */
static uintptr_t prog_lo, prog_hi;   /* the main program's loaded range */
static uintptr_t prog_base;
static TLS int busy;           /* inside the shim: allocations pass straight through */

static void lock_take(void)
{
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) {}
}

static void lock_give(void)
{
    atomic_flag_clear_explicit(&lock, memory_order_release);
}

static void die(const char *m)
{
    if (write(2, m, strlen(m)) < 0) _exit(127);
    _exit(127);
}

static int program_range(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    prog_base = info->dlpi_addr;   /* the first object is the main program */
    prog_lo = UINTPTR_MAX;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_LOAD) continue;
        uintptr_t lo = info->dlpi_addr + p->p_vaddr, hi = lo + p->p_memsz;
        if (lo < prog_lo) prog_lo = lo;
        if (hi > prog_hi) prog_hi = hi;
    }
    return 1;
}

static int in_program(uintptr_t a)
{
    return a >= prog_lo && a < prog_hi;
}

__attribute__((constructor)) static void init(void)
{
    const char *k = getenv("FAILALLOC_SITE");
    fail_at = k ? atoi(k) : 0;
    dl_iterate_phdr(program_range, NULL);
    sites = mmap(NULL, MAX_SITES * sizeof *sites, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    numbered = mmap(NULL, MAX_SITES * sizeof *numbered, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    lives = mmap(NULL, MAX_LIVE * sizeof *lives, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (sites == MAP_FAILED || numbered == MAP_FAILED || lives == MAP_FAILED)
        die("failalloc: cannot map its tables\n");
    /* backtrace loads libgcc_s on first use: do it now, not inside a tracked allocation */
    void *frames[4];
    busy = 1;
    backtrace(frames, 4);
    busy = 0;
}

static int excluded_library(const char *path)
{
    static const char *const names[] = {"/ld-linux", "libopenblas", "libgfortran", "libquadmath",
                                        "libgomp", NULL};
    for (int i = 0; names[i]; i++)
        if (strstr(path, names[i])) return 1;
    return 0;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

/* MOD_PROGRAM, MOD_LIBRARY or MOD_EXCLUDED for a code address (called with the lock held). */
static int classify(uintptr_t a)
{
    if (in_program(a)) return MOD_PROGRAM;
    uint32_t i = (uint32_t)mix(a) & (MAX_MODS - 1);
    for (; mods[i].ra; i = (i + 1) & (MAX_MODS - 1))
        if (mods[i].ra == a) return mods[i].kind;
    Dl_info di;
    int kind = dladdr((void *)a, &di) && di.dli_fname && excluded_library(di.dli_fname)
                   ? MOD_EXCLUDED : MOD_LIBRARY;
    if (nmods + 1 < MAX_MODS) {   /* when full, classify again next time */
        mods[i] = (module_class){a, kind};
        nmods++;
    }
    return kind;
}

/*
 * Where the program called from, for an allocation from return address ra: the first return
 * address in the main program on the stack after ra (0 if none), or 1 when an excluded library
 * comes first (the allocation is made for it, e.g. by libc for OpenBLAS while it starts).
 */
static uintptr_t program_caller(uintptr_t ra)
{
    void *frames[STACK_DEPTH];
    int n = backtrace(frames, STACK_DEPTH), i = 0;
    while (i < n && (uintptr_t)frames[i] != ra) i++;   /* the shim's own frames */
    for (i = i < n ? i + 1 : 0; i < n; i++) {
        lock_take();
        int kind = classify((uintptr_t)frames[i]);
        lock_give();
        if (kind == MOD_PROGRAM) return (uintptr_t)frames[i];
        if (kind == MOD_EXCLUDED) return 1;
    }
    return 0;
}

/*
 * Decides about one allocation from return address ra: returns its site index (-1 when it is
 * not tracked) and sets *fail when it is the one to fail. Called before the allocation.
 */
static int site_of(uintptr_t ra, int *fail)
{
    *fail = 0;
    if (busy || !atomic_load_explicit(&started, memory_order_acquire)) return -1;
    busy = 1;
    lock_take();
    int kind = classify(ra);
    lock_give();
    uintptr_t caller = kind == MOD_EXCLUDED ? 0 : program_caller(ra);   /* slow: not locked */
    if (caller == 1) kind = MOD_EXCLUDED;
    lock_take();
    uint32_t i = (uint32_t)mix(ra * 31 + caller) & (MAX_SITES - 1);
    while (sites[i].ra && !(sites[i].ra == ra && sites[i].caller == caller))
        i = (i + 1) & (MAX_SITES - 1);
    if (!sites[i].ra) {
        if ((uint32_t)nsites + 2 >= MAX_SITES) die("failalloc: too many sites\n");
        sites[i].ra = ra;
        sites[i].caller = caller;
        sites[i].number = kind == MOD_EXCLUDED ? 0 : ++nsites;
        if (sites[i].number) numbered[nsites] = i;
        if (sites[i].number && sites[i].number == fail_at) {
            *fail = 1;
            failed_site = (int)i;
        }
    }
    sites[i].calls++;
    lock_give();
    busy = 0;
    return sites[i].number ? (int)i : -1;
}

/* The largest single request from a site (made or refused), for "no huge allocation before
 * validation" (oom.sh, bad models). */
static size_t largest;

static void note_request(size_t size, int s)
{
    if (s < 0 || busy) return;
    lock_take();
    if (size > largest) largest = size;
    lock_give();
}

static void live_add(void *p, size_t size, int s)
{
    if (!p || s < 0 || busy) return;
    lock_take();
    if ((uint64_t)nlive * 2 >= MAX_LIVE) die("failalloc: too many live allocations\n");
    uint32_t i = (uint32_t)mix((uintptr_t)p) & (MAX_LIVE - 1);
    while (lives[i].ptr) i = (i + 1) & (MAX_LIVE - 1);
    lives[i] = (live){(uintptr_t)p, size, s};
    nlive++;
    nallocs++;
    lock_give();
}

static void live_remove(void *p)
{
    if (!p || !lives || busy) return;   /* busy: the shim's own, never tracked */
    lock_take();
    uint32_t i = (uint32_t)mix((uintptr_t)p) & (MAX_LIVE - 1);
    while (lives[i].ptr && lives[i].ptr != (uintptr_t)p) i = (i + 1) & (MAX_LIVE - 1);
    if (lives[i].ptr) {
        /* backward-shift deletion keeps every entry reachable from its home slot */
        uint32_t hole = i;
        for (uint32_t j = (i + 1) & (MAX_LIVE - 1); lives[j].ptr; j = (j + 1) & (MAX_LIVE - 1)) {
            uint32_t home = (uint32_t)mix(lives[j].ptr) & (MAX_LIVE - 1);
            if (((j - home) & (MAX_LIVE - 1)) >= ((j - hole) & (MAX_LIVE - 1))) {
                lives[hole] = lives[j];
                hole = j;
            }
        }
        lives[hole].ptr = 0;
        nlive--;
    }
    lock_give();
}

static void *nomem(void)
{
    errno = ENOMEM;
    return NULL;
}

void *malloc(size_t n)
{
    int fail, s = site_of((uintptr_t)__builtin_return_address(0), &fail);
    note_request(n, s);
    if (fail) return nomem();
    void *p = __libc_malloc(n);
    live_add(p, n, s);
    return p;
}

void *calloc(size_t n, size_t size)
{
    int fail, s = site_of((uintptr_t)__builtin_return_address(0), &fail);
    size_t total;
    note_request(__builtin_mul_overflow(n, size, &total) ? SIZE_MAX : total, s);
    if (fail) return nomem();
    void *p = __libc_calloc(n, size);
    live_add(p, n * size, s);
    return p;
}

void *realloc(void *old, size_t n)
{
    if (old && n == 0) {   /* frees */
        live_remove(old);
        return __libc_realloc(old, n);
    }
    int fail, s = site_of((uintptr_t)__builtin_return_address(0), &fail);
    note_request(n, s);
    if (fail) return nomem();   /* old stays allocated, as with a real failure */
    void *p = __libc_realloc(old, n);
    if (p) {
        live_remove(old);
        live_add(p, n, s);
    }
    return p;
}

/* hugemem.c's tables */
void *aligned_alloc(size_t align, size_t n)
{
    int fail, s = site_of((uintptr_t)__builtin_return_address(0), &fail);
    note_request(n, s);
    if (fail) return nomem();
    void *p = __libc_memalign(align, n);
    live_add(p, n, s);
    return p;
}

void free(void *p)
{
    live_remove(p);
    __libc_free(p);
}

/* strdup and strndup are here so that their callers, not libc's one malloc call inside them,
 * are the sites. */
static char *dup_at(uintptr_t ra, const char *str, size_t len)
{
    int fail, s = site_of(ra, &fail);
    if (fail) return nomem();
    char *p = __libc_malloc(len + 1);
    if (p) {
        memcpy(p, str, len);
        p[len] = '\0';
    }
    live_add(p, len + 1, s);
    return p;
}

char *strdup(const char *str)
{
    return dup_at((uintptr_t)__builtin_return_address(0), str, strlen(str));
}

char *strndup(const char *str, size_t n)
{
    return dup_at((uintptr_t)__builtin_return_address(0), str, strnlen(str, n));
}

/* ---- the report -------------------------------------------------------------------------- */

static int report_fd = -1;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1) n = (int)sizeof buf - 1;
    if (n > 0 && write(report_fd, buf, (size_t)n) < 0) report_fd = -1;
}

/* "module+0xoffset symbol" of an address, and the program offset of the caller */
static void describe(const char *key, const site *s)
{
    Dl_info di;
    const char *mod = "?", *sym = "";
    uintptr_t off = s->ra;
    if (dladdr((void *)s->ra, &di) && di.dli_fname) {
        mod = strrchr(di.dli_fname, '/') ? strrchr(di.dli_fname, '/') + 1 : di.dli_fname;
        off = s->ra - (uintptr_t)di.dli_fbase;
        if (di.dli_sname) sym = di.dli_sname;
    }
    if (in_program(s->ra)) mod = "program";
    out("%s %d %s+0x%lx %s caller_offset 0x%lx calls %lld\n", key, s->number, mod,
        (unsigned long)off, *sym ? sym : "-",
        (unsigned long)(s->caller ? s->caller - prog_base : 0), (long long)s->calls);
}

static void report(void)
{
    atomic_store(&started, 0);   /* from here on nothing is failed or tracked */
    /* before __libc_freeres, which clears the environment */
    const char *path = getenv("FAILALLOC_REPORT");
    if (!path || (report_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) return;
    if (__libc_freeres) __libc_freeres();   /* what it frees is no longer live */
    busy = 1;
    lock_take();
    out("sites %d\n", nsites);
    out("allocations %lld\n", (long long)nallocs);
    out("largest %zu\n", largest);
    out("injected %d\n", failed_site >= 0);
    if (failed_site >= 0) describe("injected_site", &sites[failed_site]);
    out("live %lld\n", (long long)nlive);
    for (uint32_t i = 0, shown = 0; nlive && i < MAX_LIVE && shown < 20; i++)
        if (lives[i].ptr) {
            out("live_bytes %zu\n", lives[i].size);
            describe("live_site", &sites[lives[i].site]);
            shown++;
        }
    for (int k = 1; k <= nsites; k++) describe("site", &sites[numbered[k]]);   /* in order */
    lock_give();
    close(report_fd);
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int main_wrapper(int argc, char **argv, char **envp)
{
    atexit(report);
    atomic_store(&started, 1);
    return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init_fn)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end);
int __libc_start_main(main_fn main, int argc, char **argv, void (*init_fn)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    int (*real)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);
    *(void **)&real = dlsym(RTLD_NEXT, "__libc_start_main");
    real_main = main;
    return real(main_wrapper, argc, argv, init_fn, fini, rtld_fini, stack_end);
}
