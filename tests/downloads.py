"""Reading a download's ``Content-Disposition`` (RFC 6266) in view tests."""

from __future__ import annotations

import re
from urllib.parse import unquote

HEADER = re.compile(
    r"""^(inline|attachment); filename="([\x20-\x7e]+)"; filename\*=UTF-8''(\S+)$""")


def download_names(response, *, inline: bool = False) -> tuple[str, str]:
    """The ASCII fallback and the UTF-8 name of ``response``'s download, after checking the
    header's form, that the fallback is ASCII and that the response says ``nosniff``."""
    assert response.status_code == 200
    header = response["Content-Disposition"]
    match = HEADER.match(header)
    assert match, header
    assert match[1] == ("inline" if inline else "attachment")
    assert '"' not in match[2] and "\\" not in match[2]
    assert response["X-Content-Type-Options"] == "nosniff"
    return match[2], unquote(match[3])
