"""Throughput of the Python binding (docs/python.md, "Speed").

Usage, from the source tree's root after `make`:
    /usr/bin/python3 bench/python/run.py [MODEL.json]

Times Model.predict_proba and Model.predict (best of 5) on tests/shipped/lang-everyday.txt's
lines repeated 40 times (12,400 short texts) and on 3,100 texts of 8 of its lines each, with
threads=1 and threads=2; the built-in model unless MODEL.json is given. Compare with the
program: `./textclf -j N` on the same lines (the script writes them to /tmp/textclf-bench-*.txt).
"""

import os
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'python'))
import textclf  # noqa: E402


def best(f, runs=5):
    """The shortest of runs calls of f, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    warnings.simplefilter('ignore')
    model = textclf.Model(sys.argv[1] if len(sys.argv) > 1 else None)
    with open(os.path.join(ROOT, 'tests', 'shipped', 'lang-everyday.txt'),
              encoding='utf-8') as f:
        lines = [line.split(' ', 1)[1] for line in f.read().splitlines()]
    sets = {'short': lines * 40,
            'long': [' '.join(lines[i:i + 8]) for i in range(len(lines))] * 10}
    for name, docs in sets.items():
        with open('/tmp/textclf-bench-%s.txt' % name, 'w', encoding='utf-8') as f:
            f.write('\n'.join(docs) + '\n')
        for method in ('predict_proba', 'predict'):
            for threads in (1, 2):
                s = best(lambda: getattr(model, method)(docs, threads=threads))
                print('%s texts (%d), %s, threads=%d: %.3f s, %.0f texts/s'
                      % (name, len(docs), method, threads, s, len(docs) / s))


if __name__ == '__main__':
    main()
