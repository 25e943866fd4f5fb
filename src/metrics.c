/*
 * metrics.c - accuracy, per-label precision/recall/F1, macro and weighted averages, P@k/R@k and
 * the confusion matrix of a single-label classifier.
 *
 * The confusion matrix is kept sparse (a hash table of its non-zero cells): a model may have up to
 * 100000 labels, and a dense matrix would then be 80 GB, while a test set of N examples has at
 * most N non-zero cells.
 */
#include "metrics.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One non-zero cell; count 0 marks an empty slot. */
typedef struct {
    uint64_t key;     /* gold << 32 | predicted */
    int64_t count;
} cell_slot;

struct tc_metrics {
    int num_labels, cap_labels;
    int k;
    int64_t examples, correct, hits_at_k, no_prediction;
    int64_t *support, *predicted, *tp;   /* [cap_labels] */
    cell_slot *cells;                    /* [cell_cap], a power of two */
    size_t cell_cap, cell_used;
    /* calibration: per confidence bin, examples, correct ones and the sum of p */
    int64_t bin_n[TC_ECE_BINS], bin_correct[TC_ECE_BINS];
    double bin_p[TC_ECE_BINS];
};

/* The hash key of cell (gold, predicted); both are non-negative ints. */
static uint64_t cell_key(int gold, int predicted)
{
    return (uint64_t)(uint32_t)gold << 32 | (uint32_t)predicted;
}

/* splitmix64's finaliser: keys differ mostly in a few low bits of each half, so mix them. */
static size_t cell_hash(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (size_t)x;
}

/* The slot holding key, or the empty slot where it would go. The table is never full. */
static cell_slot *cell_find(cell_slot *cells, size_t cap, uint64_t key)
{
    size_t i = cell_hash(key) & (cap - 1);
    while (cells[i].count && cells[i].key != key) i = (i + 1) & (cap - 1);
    return &cells[i];
}

/* Doubles the cell table. Returns 0, or -1 when out of memory (table unchanged). */
static int cells_grow(tc_metrics *m)
{
    size_t cap = m->cell_cap ? m->cell_cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof(cell_slot)) return -1;
    cell_slot *cells = calloc(cap, sizeof *cells);
    if (!cells) return -1;
    for (size_t i = 0; i < m->cell_cap; i++)
        if (m->cells[i].count) *cell_find(cells, cap, m->cells[i].key) = m->cells[i];
    free(m->cells);
    m->cells = cells;
    m->cell_cap = cap;
    return 0;
}

tc_status tc_metrics_new(int num_labels, int k, tc_metrics **out)
{
    *out = NULL;
    if (num_labels < 0 || k < 1) return TC_ERR_ARG;
    tc_metrics *m = calloc(1, sizeof *m);
    if (!m) return TC_ERR_NOMEM;
    m->k = k;
    if (tc_metrics_add_labels(m, num_labels) != TC_OK) {
        tc_metrics_free(m);
        return TC_ERR_NOMEM;
    }
    *out = m;
    return TC_OK;
}

void tc_metrics_free(tc_metrics *m)
{
    if (!m) return;
    free(m->support);
    free(m->predicted);
    free(m->tp);
    free(m->cells);
    free(m);
}

/* Reallocates one per-label counter array to cap entries, zeroing the new ones. */
static int64_t *grow_counts(int64_t *a, int old_cap, int cap)
{
    int64_t *p = realloc(a, (size_t)cap * sizeof *p);
    if (p) memset(p + old_cap, 0, (size_t)(cap - old_cap) * sizeof *p);
    return p;
}

tc_status tc_metrics_add_labels(tc_metrics *m, int n)
{
    if (n < 0 || n > INT_MAX - m->num_labels) return TC_ERR_ARG;
    int need = m->num_labels + n;
    if (need > m->cap_labels) {
        /* unknown gold labels arrive one at a time: grow geometrically */
        int cap = m->cap_labels > INT_MAX / 2 ? INT_MAX : m->cap_labels * 2;
        if (cap < need) cap = need;
        if (cap < 8) cap = 8;
        int64_t *p;
        /* each array is replaced as soon as it has grown, so a failure leaves every array
         * valid (some merely larger than needed) and cap_labels unchanged */
        if (!(p = grow_counts(m->support, m->cap_labels, cap))) return TC_ERR_NOMEM;
        m->support = p;
        if (!(p = grow_counts(m->predicted, m->cap_labels, cap))) return TC_ERR_NOMEM;
        m->predicted = p;
        if (!(p = grow_counts(m->tp, m->cap_labels, cap))) return TC_ERR_NOMEM;
        m->tp = p;
        m->cap_labels = cap;
    }
    m->num_labels = need;
    return TC_OK;
}

int tc_metrics_num_labels(const tc_metrics *m) { return m->num_labels; }

tc_status tc_metrics_add(tc_metrics *m, int gold, const int *ranked, int n)
{
    if (n < 1) return TC_ERR_ARG;
    return tc_metrics_add_top(m, gold, ranked[0], ranked, n);
}

tc_status tc_metrics_add_top(tc_metrics *m, int gold, int top, const int *ranked, int n)
{
    if (gold < 0 || gold >= m->num_labels || top < 0 || top >= m->num_labels || n < m->k)
        return TC_ERR_ARG;
    for (int i = 0; i < n; i++)
        if (ranked[i] < 0 || ranked[i] >= m->num_labels) return TC_ERR_ARG;
    /* keep the load factor at most 1/2 so that probing stays short and a slot is always free */
    if ((m->cell_used + 1) * 2 > m->cell_cap && cells_grow(m) != 0) return TC_ERR_NOMEM;
    cell_slot *slot = cell_find(m->cells, m->cell_cap, cell_key(gold, top));
    if (!slot->count) {
        slot->key = cell_key(gold, top);
        m->cell_used++;
    }
    slot->count++;

    m->examples++;
    m->support[gold]++;
    m->predicted[top]++;
    if (top == gold) {
        m->correct++;
        m->tp[gold]++;
    }
    /* a hit counts once even if the caller's list repeated the gold label */
    for (int i = 0; i < m->k; i++) {
        if (ranked[i] == gold) {
            m->hits_at_k++;
            break;
        }
    }
    return TC_OK;
}

/* 1 if x is one of a[0..n) */
static int in_list(int x, const int *a, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] == x) return 1;
    return 0;
}

tc_status tc_metrics_add_set(tc_metrics *m, const int *gold, int ngold, const int *predicted,
                             int npred, const int *ranked, int n)
{
    if (ngold < 1 || npred < 0 || n < m->k) return TC_ERR_ARG;
    for (int i = 0; i < ngold; i++)
        if (gold[i] < 0 || gold[i] >= m->num_labels) return TC_ERR_ARG;
    for (int i = 0; i < npred; i++)
        if (predicted[i] < 0 || predicted[i] >= m->num_labels) return TC_ERR_ARG;
    for (int i = 0; i < n; i++)
        if (ranked[i] < 0 || ranked[i] >= m->num_labels) return TC_ERR_ARG;
    int hits = 0;   /* |predicted ∩ gold| */
    m->examples++;
    for (int i = 0; i < ngold; i++) m->support[gold[i]]++;
    for (int i = 0; i < npred; i++) {
        m->predicted[predicted[i]]++;
        if (in_list(predicted[i], gold, ngold)) {
            m->tp[predicted[i]]++;
            hits++;
        }
    }
    m->correct += hits == ngold && hits == npred;
    m->no_prediction += npred == 0;
    for (int i = 0; i < m->k; i++) m->hits_at_k += in_list(ranked[i], gold, ngold);
    return TC_OK;
}

tc_status tc_metrics_add_confidence(tc_metrics *m, double p, int correct)
{
    if (!(p >= 0 && p <= 1)) return TC_ERR_ARG;   /* also refuses NaN */
    /* bin b holds (b/B, (b+1)/B]: ceil(p*B) - 1, with p = 0 in bin 0 */
    int b = (int)ceil(p * TC_ECE_BINS) - 1;
    if (b < 0) b = 0;
    if (b >= TC_ECE_BINS) b = TC_ECE_BINS - 1;
    m->bin_n[b]++;
    m->bin_correct[b] += correct != 0;
    m->bin_p[b] += p;
    return TC_OK;
}

/* a / b, or 0 when b is 0 (scikit-learn's zero_division=0). */
static double ratio(double a, double b) { return b != 0 ? a / b : 0; }

void tc_metrics_label_get(const tc_metrics *m, int label, tc_label_metrics *out)
{
    out->support = m->support[label];
    out->predicted = m->predicted[label];
    out->correct = m->tp[label];
    out->precision = ratio((double)out->correct, (double)out->predicted);
    out->recall = ratio((double)out->correct, (double)out->support);
    out->f1 = ratio(2 * out->precision * out->recall, out->precision + out->recall);
    out->present = out->support > 0 || out->predicted > 0;
}

void tc_metrics_summary_get(const tc_metrics *m, tc_metrics_summary *s)
{
    memset(s, 0, sizeof *s);
    s->num_labels = m->num_labels;
    s->k = m->k;
    s->examples = m->examples;
    s->correct = m->correct;
    s->hits_at_k = m->hits_at_k;
    s->no_prediction = m->no_prediction;
    double n = (double)m->examples;
    for (int c = 0; c < m->num_labels; c++) {
        s->gold += m->support[c];
        s->predicted += m->predicted[c];
        s->true_positives += m->tp[c];
    }
    s->accuracy = ratio((double)m->correct, n);
    s->precision_at_k = ratio((double)m->hits_at_k, (double)m->k * n);
    s->recall_at_k = ratio((double)m->hits_at_k, (double)s->gold);   /* examples: one each */
    s->micro_precision = ratio((double)s->true_positives, (double)s->predicted);
    s->micro_recall = ratio((double)s->true_positives, (double)s->gold);
    s->micro_f1 = ratio(2.0 * (double)s->true_positives, (double)(s->predicted + s->gold));
    for (int c = 0; c < m->num_labels; c++) {
        tc_label_metrics l;
        tc_metrics_label_get(m, c, &l);
        if (!l.present) continue;
        s->present_labels++;
        s->macro_precision += l.precision;
        s->macro_recall += l.recall;
        s->macro_f1 += l.f1;
        s->weighted_precision += (double)l.support * l.precision;
        s->weighted_recall += (double)l.support * l.recall;
        s->weighted_f1 += (double)l.support * l.f1;
    }
    s->macro_precision = ratio(s->macro_precision, s->present_labels);
    s->macro_recall = ratio(s->macro_recall, s->present_labels);
    s->macro_f1 = ratio(s->macro_f1, s->present_labels);
    s->weighted_precision = ratio(s->weighted_precision, (double)s->gold);
    s->weighted_recall = ratio(s->weighted_recall, (double)s->gold);
    s->weighted_f1 = ratio(s->weighted_f1, (double)s->gold);

    /* (n_b / n) |accuracy_b - mean p_b| = |correct_b - sum p_b| / n; an empty bin adds 0 */
    double p_sum = 0, gap_sum = 0;
    for (int b = 0; b < TC_ECE_BINS; b++) {
        s->calibrated += m->bin_n[b];
        p_sum += m->bin_p[b];
        gap_sum += fabs((double)m->bin_correct[b] - m->bin_p[b]);
    }
    s->ece = ratio(gap_sum, (double)s->calibrated);
    s->mean_confidence = ratio(p_sum, (double)s->calibrated);
}

int64_t tc_metrics_cell(const tc_metrics *m, int gold, int predicted)
{
    if (!m->cell_cap) return 0;
    return cell_find(m->cells, m->cell_cap, cell_key(gold, predicted))->count;
}

/* qsort order of tc_metrics_confusions: count descending, then gold, then predicted. */
static int by_count_desc(const void *a, const void *b)
{
    const tc_confusion_cell *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    if (x->gold != y->gold) return x->gold < y->gold ? -1 : 1;
    return (x->predicted > y->predicted) - (x->predicted < y->predicted);
}

tc_status tc_metrics_confusions(const tc_metrics *m, tc_confusion_cell **cells, size_t *n)
{
    *cells = NULL;
    *n = 0;
    size_t count = 0;
    for (size_t i = 0; i < m->cell_cap; i++)
        if (m->cells[i].count && m->cells[i].key >> 32 != (m->cells[i].key & 0xffffffffu))
            count++;
    if (count == 0) return TC_OK;
    tc_confusion_cell *out = malloc(count * sizeof *out);
    if (!out) return TC_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < m->cell_cap; i++) {
        const cell_slot *c = &m->cells[i];
        int gold = (int)(c->key >> 32), predicted = (int)(c->key & 0xffffffffu);
        if (c->count && gold != predicted)
            out[j++] = (tc_confusion_cell){gold, predicted, c->count};
    }
    qsort(out, count, sizeof *out, by_count_desc);
    *cells = out;
    *n = count;
    return TC_OK;
}
