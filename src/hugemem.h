/*
 * hugemem.h - memory for large tables whose rows are read in an order the text decides
 * (internal).
 *
 * A model's embedding (in its weights file) and its per-token projection table (infer.c) are
 * read a row at a time, the rows chosen by the tokens. With 4 KiB pages a 10 MB table spans 2,500
 * pages, more than a processor's TLB holds, so reading a row is a TLB miss as well as a cache
 * miss. A table from tc_table_alloc is aligned to 2 MiB, so that each whole 2 MiB piece of it can
 * be one transparent huge page, one TLB entry:
 *
 *  - TC_PAGES_HUGE: the whole pieces are advised for huge pages now (madvise MADV_HUGEPAGE;
 *    Linux's usual setting, "madvise", gives them only to memory so advised). For memory that is
 *    written whole at once (a weights file read into it): it costs no memory (RSS), and reading it
 *    takes fewer page faults (a 5 MB file: 0.60x the time to the first result).
 *  - TC_PAGES_SMALL: small pages, for a table filled as it is used, where a huge page would hold
 *    2 MiB as soon as one row in it is written. The owner calls tc_table_collapse on a piece once
 *    it is dense enough, which makes it one huge page then (MADV_COLLAPSE, Linux 6.1).
 *
 * Both are advice: where the kernel has no transparent huge pages (or their setting is "never",
 * or it is older than 6.1 for the collapse) the memory is the same memory, with small pages.
 * Measurements: docs/performance.md ("Huge pages for the tables").
 */
#ifndef TC_HUGEMEM_H
#define TC_HUGEMEM_H

#include <stddef.h>

enum { TC_HUGE_PAGE = 2 << 20 };

typedef enum { TC_PAGES_SMALL, TC_PAGES_HUGE } tc_pages;

/* bytes of memory, uninitialised (a large table is fresh zero pages, as from malloc), aligned to
 * TC_HUGE_PAGE when bytes >= TC_HUGE_PAGE, else malloc's. Free it with free(). NULL when out of
 * memory. */
void *tc_table_alloc(size_t bytes, tc_pages pages);

/* Makes piece `piece` (bytes [piece·TC_HUGE_PAGE, +TC_HUGE_PAGE)) of a table of `bytes` from
 * tc_table_alloc one huge page, with what it holds; nothing for the tail past the last whole piece
 * or where the kernel cannot. Safe while other threads read and write the table. Takes a few
 * hundred microseconds (a 2 MiB copy): call it once per piece. */
void tc_table_collapse(void *table, size_t bytes, size_t piece);

/* Advice for memory[0..bytes) about to be written whole (a hash table being cleared): its pages
 * are made present in one system call (MADV_POPULATE_WRITE, Linux 5.14) instead of one page fault
 * per page as the writes reach them, which costs ~10 µs a page on some virtual machines (a
 * 512 KB table: ~1 ms of a start-up). Nothing where the kernel cannot or for less than 64 KiB; the
 * memory is the same either way. */
void tc_prefault(void *memory, size_t bytes);

#endif
