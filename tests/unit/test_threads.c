/*
 * The thread-safety contract of textclf.h, through the public API only: eight threads share one
 * freshly loaded model (models/lang.json, so its projection tables start empty and several threads
 * fill them at once), each with its own session, and tokenise and classify the same 200 varied
 * documents (eight scripts, emoji and fullwidth forms; empty, one word, or past max_len; invalid
 * UTF-8; an embedded NUL) in different orders, with and without TC_STRICT_UTF8. Every thread must
 * get, bit for bit, what a single thread gets afterwards with a fresh session, on the now warm
 * model and on a model loaded again. make tsan-test runs this under ThreadSanitizer. Runs from the
 * repository root (tests/run.sh does).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "textclf.h"

void test_threads(void);

enum { NT = 8, NDOC = 200 };

static const char *const phrases[] = {
    "The cat is asleep on the sofa", "Le chat dort sur le canapé",
    "Die Katze schläft auf dem Sofa", "El gato duerme en el sofá", "Il gatto dorme sul divano",
    "O gato dorme no sofá", "Kot śpi na kanapie", "De kat slaapt op de bank",
    "Kočka spí na gauči", "Katten sover på soffan", "Kedi kanepede uyuyor",
    "Con mèo đang ngủ trên ghế sofa", "Kucing itu tidur di sofa",
    "Η γάτα κοιμάται στον καναπέ", "Kissa nukkuu sohvalla", "A macska a kanapén alszik",
    "Pisica doarme pe canapea", "Кошка спит на диване", "Кіт спить на дивані",
    "猫はソファで寝ています", "猫在沙发上睡觉", "貓在沙發上睡覺",
    "고양이가 소파에서 자고 있어요", "แมวนอนอยู่บนโซฟา", "القطة نائمة على الأريكة",
    "🐈 💤 ¡¿ «» — … ﬁ Å", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３",
};
enum { NPHRASE = sizeof phrases / sizeof phrases[0] };

/* ill-formed sequences: stray byte, lone lead, overlong, surrogate, > U+10FFFF, continuations */
static const char *const broken[] = {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80",
                                     "\xf4\x90\x80\x80", "\x80\x80"};

typedef struct {
    char *text;
    size_t len;
} doc;

static void put(char *buf, size_t *n, size_t cap, const char *s, size_t len)
{
    if (len > cap - *n) len = cap - *n;
    memcpy(buf + *n, s, len);
    *n += len;
}

/* Document i: its phrase whole, one word of it, ten times over (truncated at max_len), with a
 * number and an ill-formed sequence inside, or run into the next phrase across a NUL. */
static doc doc_make(int i)
{
    char buf[1024];
    size_t n = 0, cap = sizeof buf;
    const char *p = phrases[i % NPHRASE], *q = phrases[(i + 1) % NPHRASE];
    char num[16];
    if (i == 0) {   /* empty */
    } else if (i == 1) {
        put(buf, &n, cap, " \t \r ", 5);
    } else {
        switch (i % 5) {
        case 0: put(buf, &n, cap, p, strlen(p)); break;
        case 1: put(buf, &n, cap, p, strcspn(p, " ")); break;
        case 2:
            for (int r = 0; r < 10; r++) {
                put(buf, &n, cap, p, strlen(p));
                put(buf, &n, cap, " ", 1);
            }
            break;
        case 3:
            put(buf, &n, cap, p, strcspn(p, " "));
            put(buf, &n, cap, broken[i % 6], strlen(broken[i % 6]));
            snprintf(num, sizeof num, " %d ", i);
            put(buf, &n, cap, num, strlen(num));
            put(buf, &n, cap, p, strlen(p));
            break;
        default:
            put(buf, &n, cap, p, strlen(p));
            put(buf, &n, cap, "\0", 1);
            put(buf, &n, cap, q, strlen(q));
        }
    }
    doc d = {malloc(n + 1), n};
    if (d.text) memcpy(d.text, buf, n);
    return d;
}

/* What one pass saw of document i: the ids and info of tc_tokenize, the probabilities of
 * tc_classify, and what tc_classify under TC_STRICT_UTF8 returned (and its error, if any). */
typedef struct {
    int32_t *ids;        /* [max_len] */
    int64_t count;
    tc_doc_info info;
    float *probs;        /* [num_labels] */
    tc_status strict;
    tc_error strict_err; /* valid when strict != TC_OK */
    const char *top;     /* tc_model_label of the most probable label */
} seen;

/* Where the threads wait until all have been started, so that they begin together. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int open;
} gate;

static void gate_wait(gate *g)
{
    pthread_mutex_lock(&g->mu);
    while (!g->open) pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static void gate_open(gate *g)
{
    pthread_mutex_lock(&g->mu);
    g->open = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

typedef struct {
    tc_model *model;
    const doc *docs;
    gate *start;                /* NULL: no waiting (the single-threaded passes) */
    int k;                      /* which order to go through the documents in */
    int max_len, labels;
    seen *out;                  /* [NDOC], indexed by document */
    int failures;               /* calls that failed where they should not have */
} pass;

static int pass_alloc(pass *p)
{
    p->out = calloc(NDOC, sizeof *p->out);
    if (!p->out) return 0;
    for (int i = 0; i < NDOC; i++) {
        p->out[i].ids = calloc((size_t)p->max_len, sizeof *p->out[i].ids);
        p->out[i].probs = calloc((size_t)p->labels, sizeof *p->out[i].probs);
        if (!p->out[i].ids || !p->out[i].probs) return 0;
    }
    return 1;
}

static void pass_free(pass *p)
{
    for (int i = 0; p->out && i < NDOC; i++) {
        free(p->out[i].ids);
        free(p->out[i].probs);
    }
    free(p->out);
}

/* Goes through every document, in an order of its own: thread k starts at document 25k and
 * steps by a stride prime to NDOC, forwards for even k and backwards for odd k (k < 0: in order,
 * 0..NDOC-1). */
static void *pass_run(void *arg)
{
    static const int strides[NT] = {1, 3, 7, 9, 11, 13, 17, 19};
    pass *p = arg;
    tc_error err;
    tc_session *s = NULL;
    float *strict = malloc((size_t)p->labels * sizeof *strict);
    if (!strict || tc_session_init(p->model, &s, &err) != TC_OK) p->failures++;
    if (p->start) gate_wait(p->start);
    for (int j = 0; s && strict && j < NDOC; j++) {
        int i = j;
        if (p->k >= 0) {
            i = (p->k * 25 + j * strides[p->k % NT]) % NDOC;
            if (p->k % 2) i = NDOC - 1 - i;
        }
        const doc *d = &p->docs[i];
        seen *o = &p->out[i];
        const int32_t *ids;
        if (tc_tokenize(s, d->text, d->len, 0, &ids, &o->count, &o->info, &err) != TC_OK ||
            o->count < 0 || o->count > p->max_len) {
            p->failures++;
            continue;
        }
        memcpy(o->ids, ids, (size_t)o->count * sizeof *ids);
        if (tc_classify(s, d->text, d->len, 0, o->probs, NULL, &err) != TC_OK) p->failures++;
        int top = 0;
        tc_rank_labels(o->probs, p->labels, 1, &top);
        o->top = tc_model_label(p->model, top);
        o->strict = tc_classify(s, d->text, d->len, TC_STRICT_UTF8, strict, NULL, &o->strict_err);
        if (o->strict == TC_OK && memcmp(strict, o->probs, (size_t)p->labels * sizeof *strict))
            p->failures++;
    }
    tc_session_free(s);
    free(strict);
    return NULL;
}

static int same_info(const tc_doc_info *a, const tc_doc_info *b)
{
    return a->tokens == b->tokens && a->truncated == b->truncated &&
           a->invalid_utf8 == b->invalid_utf8 && a->invalid_offset == b->invalid_offset;
}

/* The number of documents on which pass a differs from the reference pass ref, in anything;
 * the first is printed. Label strings are compared by text: ref may be of another model. */
static int differences(const pass *a, const pass *ref, const char *what)
{
    int n = 0;
    for (int i = 0; i < NDOC; i++) {
        const seen *x = &a->out[i], *y = &ref->out[i];
        int same = x->count == y->count &&
                   !memcmp(x->ids, y->ids, (size_t)x->count * sizeof *x->ids) &&
                   same_info(&x->info, &y->info) &&
                   !memcmp(x->probs, y->probs, (size_t)a->labels * sizeof *x->probs) &&
                   x->top && y->top && !strcmp(x->top, y->top) && x->strict == y->strict &&
                   (x->strict == TC_OK ||
                    (x->strict_err.code == y->strict_err.code &&
                     !strcmp(x->strict_err.message, y->strict_err.message)));
        if (!same && n++ == 0)
            printf("FAIL %s: %s differs on document %d (%zu bytes)\n", test_current, what, i,
                   a->docs[i].len);
    }
    return n;
}

/* Models loaded in several threads at once: each load as alone (same result, same error). */
typedef struct {
    const char *path;
    tc_status status;
    tc_error err;
    int labels;
} load_job;

static void *load_run(void *arg)
{
    load_job *j = arg;
    tc_model *m = NULL;
    j->status = tc_model_load(j->path, &m, &j->err);
    j->labels = m ? tc_model_num_labels(m) : -1;
    tc_model_free(m);
    return NULL;
}

static void loads_in_parallel(void)
{
    static const char *const paths[] = {
        "tests/models/tiny.json", "tests/models/tiny-st.json", "tests/models/tiny-vocabfile.json",
        "tests/models/bad/dim-zero.json", "tests/models/bad/truncated.json", "models/spam.json",
    };
    enum { N = 6, ROUNDS = 4 };
    load_job ref[N], job[ROUNDS][N];
    for (int i = 0; i < N; i++) {
        ref[i] = (load_job){.path = paths[i]};
        load_run(&ref[i]);
    }
    CHECK(ref[0].status == TC_OK && ref[3].status == TC_ERR_MODEL && ref[5].status == TC_OK);
    pthread_t tid[ROUNDS][N];
    int started[ROUNDS][N];
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < N; i++) {
            job[r][i] = (load_job){.path = paths[i]};
            started[r][i] = pthread_create(&tid[r][i], NULL, load_run, &job[r][i]) == 0;
        }
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < N; i++) {
            CHECK(started[r][i]);
            if (!started[r][i]) continue;
            pthread_join(tid[r][i], NULL);
            CHECK(job[r][i].status == ref[i].status);
            CHECK(job[r][i].labels == ref[i].labels);
            if (ref[i].status != TC_OK)
                CHECK(strcmp(job[r][i].err.message, ref[i].err.message) == 0 &&
                      strcmp(job[r][i].err.path, ref[i].err.path) == 0);
        }
}

void test_threads(void)
{
    loads_in_parallel();

    tc_error err;
    tc_model *m = NULL, *again = NULL;
    doc docs[NDOC];
    for (int i = 0; i < NDOC; i++) docs[i] = doc_make(i);
    int docs_ok = 1;
    for (int i = 0; i < NDOC; i++) docs_ok &= docs[i].text != NULL;
    CHECK(docs_ok);
    CHECK(tc_model_load("models/lang.json", &m, &err) == TC_OK);
    if (!m || !docs_ok) goto cleanup;

    tc_model_info mi;
    tc_model_get_info(m, &mi);
    pass th[NT], warm = {0}, cold = {0};
    gate start = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    pthread_t tid[NT];
    int allocated = 1, started = 0;
    for (int k = 0; k < NT; k++) {
        th[k] = (pass){.model = m, .docs = docs, .start = &start, .k = k,
                       .max_len = mi.max_len, .labels = mi.num_labels};
        allocated &= pass_alloc(&th[k]);
    }
    CHECK(allocated);
    /* the model is cold: nothing has been classified with it yet */
    for (int k = 0; allocated && k < NT; k++)
        if (pthread_create(&tid[started], NULL, pass_run, &th[k]) == 0) started++;
    CHECK(started == (allocated ? NT : 0));
    gate_open(&start);
    for (int k = 0; k < started; k++) pthread_join(tid[k], NULL);
    if (started < NT) goto free_passes;

    /* afterwards, one thread, fresh sessions: on the warm model, and on the model loaded again */
    warm = (pass){.model = m, .docs = docs, .k = -1, .max_len = mi.max_len,
                  .labels = mi.num_labels};
    cold = warm;
    CHECK(tc_model_load("models/lang.json", &again, &err) == TC_OK);
    cold.model = again;
    allocated = pass_alloc(&warm);
    allocated &= pass_alloc(&cold);
    CHECK(allocated);
    if (!again || !allocated) goto free_passes;
    pass_run(&warm);
    pass_run(&cold);
    CHECK(warm.failures == 0 && cold.failures == 0);
    CHECK(differences(&warm, &cold, "the warm model") == 0);

    int invalid = 0, truncated = 0, rejected = 0;
    for (int i = 0; i < NDOC; i++) {
        invalid += cold.out[i].info.invalid_utf8 > 0;
        truncated += cold.out[i].info.truncated;
        rejected += cold.out[i].strict == TC_ERR_INPUT;
    }
    CHECK(invalid >= 30 && invalid == rejected);   /* the documents are as varied as meant */
    CHECK(truncated >= 30);
    for (int k = 0; k < NT; k++) {
        char what[32];
        snprintf(what, sizeof what, "thread %d", k);
        CHECK(th[k].failures == 0);
        CHECK(differences(&th[k], &cold, what) == 0);
    }

free_passes:
    for (int k = 0; k < NT; k++) pass_free(&th[k]);
    pass_free(&warm);
    pass_free(&cold);
cleanup:
    tc_model_free(again);
    tc_model_free(m);
    for (int i = 0; i < NDOC; i++) free(docs[i].text);
}
