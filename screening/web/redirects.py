"""The one check for where a redirect may go: a path on this site, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str | None) -> str:
    """`target` when it is a plain path on this site, else ''.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so '/\\t/evil.example' and
    '/\\\\evil.example' lead to another site: any space, control character or backslash is refused outright."""
    if not target or len(target) > 2000 or any(c <= " " or c in "\\\x7f" for c in target):
        return ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target
