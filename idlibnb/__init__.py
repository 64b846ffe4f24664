"""idlibnb: tables and notebooks from Arabic news about the war in north-west Syria."""
from __future__ import annotations

__version__ = "0.1.0"

from .pipeline import Options, load  # noqa: E402
from .tables import Tables  # noqa: E402

__all__ = ["__version__", "load", "Options", "Tables"]
