"""``python -m idlibnb.ner train|eval …``"""
from __future__ import annotations

import sys

from . import eval_main
from .train import train_main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("train", "eval"):
        print("usage: python -m idlibnb.ner train|eval [options]  (see --help of each)")
        return 2
    cmd, rest = argv[0], argv[1:]
    return train_main(rest) if cmd == "train" else eval_main(rest)


if __name__ == "__main__":
    sys.exit(main())
