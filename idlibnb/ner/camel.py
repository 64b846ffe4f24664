"""camel-tools' BERT NER behind the same ``.spans(text)`` interface as :class:`~idlibnb.ner.NERTagger`.

``camel_tools.ner`` pulls in torch and transformers, and importing ``camel_tools.data`` without a
catalogue downloads one: so it is imported only inside :meth:`CamelNER.pretrained`, after checking
that the data is really installed, and never at ``import idlibnb``.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Sequence

__all__ = ["CamelNER", "camel_data_dir"]

_INSTALL_HELP = (
    "install it with `camel_data -i ner-arabert` (or `camel_data -i defaults`) on a machine with "
    "network access, and point CAMELTOOLS_DATA at that folder if it is not ~/.camel_tools; "
    "or use the shipped CRF model (--ner model)"
)


def camel_data_dir() -> Path:
    """Where camel-tools looks for its data: ``$CAMELTOOLS_DATA`` or ``~/.camel_tools``."""
    env = os.environ.get("CAMELTOOLS_DATA")
    return Path(env).expanduser() if env else Path.home() / ".camel_tools"


class CamelNER:
    """Wraps a ``camel_tools.ner.NERecognizer`` (or anything with ``predict(list of token lists)``)."""

    _cache: dict[str | None, "CamelNER"] = {}
    _lock = threading.Lock()

    def __init__(self, recognizer):
        self.recognizer = recognizer

    @classmethod
    def pretrained(cls, model_name: str | None = None) -> "CamelNER":
        """camel-tools' pretrained NER (default model), loaded once per process.

        Raises ``RuntimeError`` saying how to install the data when it is absent.
        """
        with cls._lock:
            if model_name in cls._cache:
                return cls._cache[model_name]
            data = camel_data_dir()
            if not (data / "catalogue.json").exists() or not (data / "data" / "ner").is_dir():
                raise RuntimeError(f"camel-tools NER data is not installed: nothing at {data / 'data' / 'ner'}; "
                                   + _INSTALL_HELP)
            try:
                from camel_tools.ner import NERecognizer
            except Exception as e:  # torch/transformers missing or a broken catalogue
                raise RuntimeError(f"camel-tools NER data is not installed or cannot load ({e}); "
                                   + _INSTALL_HELP) from e
            try:
                recognizer = NERecognizer.pretrained(model_name, use_gpu=False)
            except Exception as e:
                raise RuntimeError(f"camel-tools NER data is not installed or cannot load ({e}); "
                                   + _INSTALL_HELP) from e
            cls._cache[model_name] = inst = cls(recognizer)
            return inst

    def tag_sents(self, sents: Sequence[Sequence[str]]) -> list[list[str]]:
        """Our BIO tags (PER/ORG/LOC; MISC dropped) for a batch of token lists."""
        from . import map_tag

        sents = [list(s) for s in sents]
        if not sents:
            return []
        preds = self.recognizer.predict(sents)
        return [[map_tag(t) for t in p] for p in preds]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_sents([tokens])[0] if tokens else []

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` character spans of PER/ORG/LOC mentions in ``text``."""
        from . import _sentences, bio_chunks, tokenize_with_offsets

        sents = list(_sentences(tokenize_with_offsets(text)))
        out: list[tuple[int, int, str]] = []
        for sent, tags in zip(sents, self.tag_sents([[t[0] for t in s] for s in sents])):
            for s, e, lab in bio_chunks(tags):
                out.append((sent[s][1], sent[e - 1][2], lab))
        return out
