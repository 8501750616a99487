"""Web pages: main text and metadata by trafilatura, each paragraph located in the raw page."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import MissingDependencyError
from ..models import Article, Paragraph
from .decode import read_text
from .plain import make_article, parse_plain_text


def read_html_file(path: Path) -> list[Article]:
    html = read_text(path)
    return [a for a in [parse_html(html, path=str(path))] if a]


def parse_html(html: str, *, path: str) -> Article | None:
    """Main text and metadata of a web page (trafilatura), paragraphs located in the source."""
    try:
        import trafilatura
    except ImportError as exc:  # e.g. lxml_html_clean, which justext needs and lxml no longer bundles
        raise MissingDependencyError(
            f"Reading HTML needs trafilatura and its dependencies ({exc}): run `pip install trafilatura lxml_html_clean`"
        ) from None

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if document is None:
        return None
    meta = {
        "title": getattr(document, "title", None),
        "source": getattr(document, "sitename", None),
        "date": getattr(document, "date", None),
        "url": getattr(document, "url", None),
    }
    body = getattr(document, "text", None) or ""
    _, extracted = parse_plain_text(body)
    paragraphs = [_locate(p.text, html) for p in extracted]
    return make_article(path, meta, paragraphs)


def _locate(text: str, source: str) -> Paragraph:
    """Find where a paragraph of extracted text starts in the raw page (best effort)."""
    import html as htmllib

    probe = text[:40]
    index = source.find(probe)
    if index < 0:
        escaped = htmllib.escape(probe, quote=False)
        index = source.find(escaped)
    if index < 0:
        words = text.split()[:4]
        match = re.search(r"\W+".join(re.escape(w) for w in words), source) if words else None
        index = match.start() if match else 0
    return Paragraph(text, index, source.count("\n", 0, index) + 1)
