"""Theme finding for consultation comments: a plain library (no web framework).

Public API::

    from nlp import ThemeFinder, redact, match_themes, suggest_links, is_non_answer,
        detect_language
"""
from .engine import Theme, ThemeFinder
from .identity import match_themes, similarity_matrix
from .language import LanguageFilter, detect_language
from .linking import ActionLinker, suggest_links
from .nonanswers import NonAnswerFilter, is_non_answer
from .redact import redact, redact_many

__all__ = [
    "ThemeFinder", "Theme", "redact", "redact_many", "match_themes", "similarity_matrix",
    "suggest_links", "ActionLinker", "is_non_answer", "NonAnswerFilter",
    "detect_language", "LanguageFilter",
]
