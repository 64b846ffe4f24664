"""Word clusters learnt from unlabelled Arabic news, used as NER features.

Brown clustering in pure Python is too slow for millions of tokens, so the clusters here are k-means
over distributional vectors: counts of the words just left and right of each word (and two away),
weighted by positive PMI, reduced with a truncated SVD, L2-normalized, then clustered at a few
granularities (coarse to fine). A word's cluster ids play the role of Brown bit-string prefixes.

The corpus is read from a path given at training time (a folder of TREC-style ``.txt`` files such as
the ANT corpus, or any folder of plain-text files); nothing here runs at tag time except
:func:`read_clusters`.
"""
from __future__ import annotations

import gzip
import sys
import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from ..normalize import normalize_ar

__all__ = ["iter_corpus_texts", "word_counts", "learn_clusters", "write_clusters", "read_clusters", "GRANULARITIES"]

#: cluster counts, coarse to fine; each is one feature family
GRANULARITIES = (32, 128, 512, 2048)

_TEXT_TAGS = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.S)
_WORD = re.compile(r"[^\W_]+|[^\w\s]")


def iter_corpus_texts(path: str | Path) -> Iterator[str]:
    """The running text of every file under ``path``: TREC ``<TITLE>``/``<TEXT>`` bodies if present."""
    root = Path(path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for f in files:
        try:
            raw = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        parts = [m.group(2) for m in _TEXT_TAGS.finditer(raw)]
        yield "\n".join(parts) if parts else raw


def _tokens(texts: Iterable[str]) -> Iterator[list[str]]:
    for t in texts:
        yield _WORD.findall(normalize_ar(t))


def word_counts(texts: Iterable[str]) -> Counter:
    """How often each normalized word occurs in ``texts`` (the corpus statistics of name-likeness)."""
    counts: Counter = Counter()
    for words in _tokens(texts):
        counts.update(words)
    return counts


def learn_clusters(texts: Iterable[str], *, vocab_size: int = 200_000, contexts: int = 2_000,
                   dims: int = 100, granularities: tuple[int, ...] = GRANULARITIES,
                   min_count: int = 2, seed: int = 0) -> dict[str, tuple[int, ...]]:
    """``{normalized word: (cluster id per granularity)}`` for the ``vocab_size`` commonest words."""
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.utils.extmath import randomized_svd

    docs = list(_tokens(texts))
    freq = Counter(w for d in docs for w in d)
    vocab = [w for w, c in freq.most_common(vocab_size) if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    n_ctx = min(contexts, len(vocab))
    # one id stream with -1 for rare words and a sentinel between documents
    ids = np.fromiter((index.get(w, -1) for d in docs for w in d + ["\0"]), dtype=np.int64)
    del docs
    rows, cols = [], []
    # context slots: left-1, right-1, left-2, right-2 — each its own block of n_ctx columns
    for block, off in enumerate((-1, 1, -2, 2)):
        a = ids[max(0, -off): len(ids) - max(0, off)]
        b = ids[max(0, off): len(ids) - max(0, -off) or None]
        keep = (a >= 0) & (b >= 0) & (b < n_ctx)
        rows.append(a[keep])
        cols.append(b[keep] + block * n_ctx)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    m = sparse.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)),
                          shape=(len(vocab), 4 * n_ctx)).tocsr()
    m.sum_duplicates()
    # positive PMI with context-distribution smoothing (alpha 0.75)
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel() + 1e-9
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_p = col_sum / col_sum.sum()
    m = m.tocoo()
    pmi = np.log((m.data / total) / ((row_sum[m.row] / total) * col_p[m.col] + 1e-12))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    u, s, _ = randomized_svd(ppmi, n_components=dims, random_state=seed)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in granularities:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3)
        labels.append(km.fit_predict(vec))
    return {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(vocab)}


def write_clusters(clusters: dict[str, tuple[int, ...]], path: str | Path, *, note: str = "") -> None:
    """Gzipped TSV: ``word<TAB>id1<TAB>id2…``, ``#`` comment lines first."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        for line in note.splitlines():
            f.write(f"# {line}\n")
        for w, ids in clusters.items():
            f.write(w + "\t" + "\t".join(map(str, ids)) + "\n")


def read_clusters(path: str | Path) -> dict[str, tuple[str, ...]]:
    """``{word: (id per granularity as strings)}`` from :func:`write_clusters`' file."""
    out: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = tuple(map(sys.intern, parts[1:]))  # a few thousand distinct ids
    return out


#: cluster counts of the second (skip-gram) cluster set, coarse to fine
W2V_GRANULARITIES = (64, 256, 1024, 4096)


def skipgram_vectors(texts: Iterable[str], *, dims: int, window: int, epochs: int, min_count: int,
                     workers: int, seed: int):
    """gensim's ``KeyedVectors`` of a word2vec skip-gram model over normalized corpus text, fed in
    sentence-sized lines (needs gensim, the ``train`` extra)."""
    from gensim.models import Word2Vec

    sents = []
    for toks in _tokens(texts):
        cur: list[str] = []
        for w in toks:  # sentence-sized lines
            cur.append(w)
            if w in ".!?؟" and len(cur) > 3:
                sents.append(cur)
                cur = []
        if cur:
            sents.append(cur)
    model = Word2Vec(sents, vector_size=dims, window=window, sg=1, negative=5, min_count=min_count,
                     workers=workers, epochs=epochs, sample=1e-4, seed=seed + 1)
    return model.wv


def learn_w2v_clusters(texts: Iterable[str], *, vocab_size: int = 150_000, dims: int = 100,
                       window: int = 3, epochs: int = 5, min_count: int = 3,
                       granularities: tuple[int, ...] = W2V_GRANULARITIES, workers: int = 2,
                       seed: int = 0, log=None) -> dict[str, tuple[int, ...]]:
    """``{normalized word: (cluster id per granularity)}``: k-means over word2vec skip-gram vectors.

    Needs gensim (the ``train`` extra: ``pip install idlibnb[train]``); used at training time only.
    """
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans

    kv = skipgram_vectors(texts, dims=dims, window=window, epochs=epochs, min_count=min_count,
                          workers=workers, seed=seed)
    words = kv.index_to_key[:vocab_size]
    vec = kv.vectors[:len(words)].astype(np.float64)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in granularities:
        k = min(k, len(words))
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=8192, n_init=1, max_iter=50)
        labels.append(km.fit_predict(vec))
        if log:
            log(f"skip-gram vectors: k-means at {k}")
    return {w: tuple(int(lab[i]) for lab in labels) for i, w in enumerate(words)}
