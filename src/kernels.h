/*
 * kernels.h - the numeric building blocks of the forward pass (internal).
 */
#ifndef TC_KERNELS_H
#define TC_KERNELS_H

/* The hidden layer's activation; the model JSON's config.activation names them in this order. */
typedef enum { TC_ACT_RELU = 0, TC_ACT_GELU, TC_ACT_TANH } tc_activation;
#define TC_ACTIVATION_NAMES {"relu", "gelu", "tanh", NULL}

/* What turns the classifier's logits into probabilities; the model JSON's config.output names
 * them in this order ("softmax" when absent). Softmax: one label per document, the
 * probabilities sum to 1. Sigmoid: multi-label, p_c = σ(z_c) for each label on its own. */
typedef enum { TC_OUTPUT_SOFTMAX = 0, TC_OUTPUT_SIGMOID } tc_output;
#define TC_OUTPUT_NAMES {"softmax", "sigmoid", NULL}

/* y[T,out] = x[T,in] · W[out,in]ᵀ + b[out]   (PyTorch nn.Linear layout) */
void tc_linear(float *y, const float *x, const float *w, const float *b, int T, int in, int out);

/* In place, each of the `rows` rows of x[rows, n] becomes softmax(row); numerically stable. */
void tc_softmax_rows(float *x, int rows, int n);

/* The same with a vectorised exp (vexp.h: < 2 ulp) and a float sum; for training, where the
 * attention softmax is a fifth of the time. */
void tc_softmax_rows_fast(float *x, int rows, int n);

/* In place x[i] = exp(x[i] - max(x)) over x[n], n >= 1, with the vectorised exp; returns the
 * sum (>= 1, so 1/sum is safe). tc_softmax_rows_fast's step. (tc_infer has its own 8-wide
 * copy of the exp, infer.c's exp8.) */
float tc_exp_minus_max(float *x, int n);

/* probs[C] = softmax(logits[C]), in double: exp(z - max) <= 1 keeps every probability <= 1.
 * probs may be logits (in place). Returns log Σ exp(logits), so that a cross-entropy
 * -log p_c = that - logits[c] keeps its precision where p_c rounds to 0 or 1. */
double tc_softmax_probs(float *probs, const float *logits, int C);

/* probs[C] = σ(logits[C]) = 1 / (1 + exp(-z)), each on its own, in double (never above 1).
 * probs may be logits (in place). */
void tc_sigmoid_probs(float *probs, const float *logits, int C);

/* probs[C] from logits[C] by the output `out`: tc_softmax_probs or tc_sigmoid_probs. probs may
 * be logits. */
void tc_output_probs(float *probs, const float *logits, int C, tc_output out);

/* In place x[i] = act(x[i]) over x[n]: relu, gelu (erf form) or tanh. */
void tc_activate(float *x, int n, tc_activation act);

#endif
