"""Plots for the notebooks (matplotlib). Arabic labels are passed as plain strings: matplotlib ≥ 3.11
shapes and lays them out right-to-left itself (no reshaper, no bidi pass — those garble it).
Every plot takes ``label_language`` ('ar', 'en' or 'translit') for its labels."""
from __future__ import annotations

__all__ = ["pick_label", "LABEL_LANGUAGES"]

LABEL_LANGUAGES = ("ar", "en", "translit")


def pick_label(ar: str | None, en: str | None = None, *, language: str = "ar") -> str:
    """The label to show for a name given in Arabic and English, in ``language``."""
    if language not in LABEL_LANGUAGES:
        raise ValueError(f"label_language must be one of {LABEL_LANGUAGES}, not {language!r}")
    if language == "en":
        return en or transliterate_ar(ar or "")
    if language == "translit":
        return transliterate_ar(ar or "") or (en or "")
    return ar or en or ""


def transliterate_ar(s: str) -> str:
    """Romanize Arabic with camel-tools' Buckwalter-safe (safebw) transliteration."""
    from camel_tools.utils.charmap import CharMapper

    global _TRANSLIT
    if _TRANSLIT is None:
        _TRANSLIT = CharMapper.builtin_mapper("ar2safebw")
    return _TRANSLIT(s)


_TRANSLIT = None
