"""Where things live: the repository root, the default corpus, the reports folder.

Notebooks and the CLI resolve relative paths from the repository root when they are not found from
the working directory, so a notebook runs the same from JupyterLab (cwd = notebooks/), papermill and
nbval.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["REPO_ROOT", "DEFAULT_CORPUS", "REPORTS", "NOTEBOOKS", "resolve"]

#: the checkout this package was installed from (editable install) — or the cwd otherwise
REPO_ROOT = Path(__file__).resolve().parent.parent
if not (REPO_ROOT / "pyproject.toml").exists():
    REPO_ROOT = Path.cwd()

DEFAULT_CORPUS = REPO_ROOT / "data" / "raw"
REPORTS = REPO_ROOT / "reports"
NOTEBOOKS = REPO_ROOT / "notebooks"


def resolve(path: str | os.PathLike) -> Path:
    """An absolute path: as given if absolute or found from the cwd, else under the repository root."""
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p.resolve()
    return (REPO_ROOT / p).resolve()
