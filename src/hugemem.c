/*
 * hugemem.c - 2 MiB-aligned tables and their huge pages (hugemem.h).
 */
#include "hugemem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25   /* Linux 6.1; glibc 2.36's headers do not name it yet */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23   /* Linux 5.14 */
#endif

void *tc_table_alloc(size_t bytes, tc_pages pages)
{
    if (bytes < TC_HUGE_PAGE) return malloc(bytes ? bytes : 1);
    /* aligned_alloc wants a size that is a multiple of the alignment (C11); the memory past
     * `bytes` is never touched, so it is address space, not memory */
    size_t whole = bytes / TC_HUGE_PAGE * TC_HUGE_PAGE;
    void *p = aligned_alloc(TC_HUGE_PAGE, whole == bytes ? bytes : whole + TC_HUGE_PAGE);
#ifdef MADV_HUGEPAGE
    /* advice: where it fails the memory works the same. The tail past `whole` is left to small
     * pages, so that a huge page never holds memory past the end of the table. */
    if (p && pages == TC_PAGES_HUGE) (void)madvise(p, whole, MADV_HUGEPAGE);
#else
    (void)pages;
#endif
    return p;
}

void tc_table_collapse(void *table, size_t bytes, size_t piece)
{
    if (bytes < TC_HUGE_PAGE || piece >= bytes / TC_HUGE_PAGE) return;
    /* EINVAL before Linux 6.1, EAGAIN/ENOMEM when no huge page is to be had: small pages stay */
    (void)madvise((char *)table + piece * TC_HUGE_PAGE, TC_HUGE_PAGE, MADV_COLLAPSE);
}

void tc_prefault(void *memory, size_t bytes)
{
    if (!memory || bytes < (64 << 10)) return;
    /* the whole pages inside [memory, memory + bytes): the partial ones at the ends may be
     * shared with other allocations, and fault in as usual */
    long size = sysconf(_SC_PAGESIZE);
    uintptr_t page = size > 0 ? (uintptr_t)size : 4096;
    uintptr_t begin = ((uintptr_t)memory + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)memory + bytes) & ~(page - 1);
    /* EINVAL before Linux 5.14: the writes fault the pages in as before */
    if (end > begin) (void)madvise((void *)begin, end - begin, MADV_POPULATE_WRITE);
}
