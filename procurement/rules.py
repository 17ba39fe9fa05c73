"""Pure rules of the procurement stage that both its services and its selectors use.

No models, no settings: importing this module from ``services`` and ``selectors`` alike keeps
the two out of an import circle. Tax and quote-count rules are in ``engagements/pricing.py``.
"""

from __future__ import annotations

import unicodedata


def normalise_name(name: str) -> str:
    """A company's name compared without width or spaces: ＡＢＣ 株式会社 and ABC株式会社 match."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())
