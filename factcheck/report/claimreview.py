"""Verdicts as schema.org ClaimReview JSON-LD: the format fact-checkers publish and search engines read.

One ClaimReview per claim, with the properties schema.org defines and Google's fact-check
structured-data guidelines require (claimReviewed, reviewRating with alternateName, url) or
recommend (author, datePublished, itemReviewed as a Claim with author, datePublished,
appearance and firstAppearance; the rating's name, ratingValue, bestRating, worstRating).

The rating scale (documented for readers of the numbers, as the guidelines ask): how far the
other indexed articles back the claim.

    1  contradicted  credible evidence conflicts with it, none corroborates it
    2  disputed      credible evidence both corroborates and conflicts with it
    3  unverified    no credible evidence either way
    4  supported     credible evidence corroborates it, none conflicts with it
"""

from __future__ import annotations

from datetime import date as Date
from pathlib import PurePath

from ..models import Verdict
from ..text.dates import to_date
from .markdown import claim_anchor

RATING_SCALE = {"contradicted": 1, "disputed": 2, "unverified": 3, "supported": 4}
WORST_RATING, BEST_RATING = 1, 4
RATING_NAMES = {
    "contradicted": "Contradicted by other reports",
    "disputed": "Disputed: other reports both corroborate and contradict it",
    "unverified": "Unverified: no other report corroborates or contradicts it",
    "supported": "Supported by other reports",
}


def claimreview_jsonld(
    verdicts: list[Verdict],
    *,
    articles: dict[str, dict],
    author: str,
    page_url: str,
    date_published: str,
    author_url: str = "",
) -> list[dict]:
    """A ClaimReview object for every claim.

    `articles` maps article id -> index metadata (path, title, source, date, url); `page_url` is
    where the review is read (each review links `page_url#claim-<id>`); `date_published` is the
    review's date (YYYY-MM-DD); `author` the organisation publishing it.
    """
    organisation = {"@type": "Organization", "name": author}
    if author_url:
        organisation["url"] = author_url
    return [
        _review(v, articles=articles, author=organisation, page_url=page_url, date_published=date_published) for v in verdicts
    ]


def _review(v: Verdict, *, articles: dict[str, dict], author: dict, page_url: str, date_published: str) -> dict:
    claim = " ".join(v.claim.text.split())
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{page_url}#{claim_anchor(v.claim.id)}",
        "claimReviewed": claim,
        "datePublished": date_published,
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_SCALE[v.verdict],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": v.verdict,
            "name": RATING_NAMES[v.verdict],
            "ratingExplanation": v.rationale or RATING_NAMES[v.verdict],
        },
        "itemReviewed": _claim(v, articles),
    }
    return review


def _claim(v: Verdict, articles: dict[str, dict]) -> dict:
    """The claim: where it appears (its own article and the ones that corroborate it), earliest first."""
    appearances: dict[str, dict] = {}
    if v.claim.article_id:
        appearances[v.claim.article_id] = _work(v.claim.article_id, articles, v.claim.source, v.claim.date, v.claim.location)
    for e in v.evidence:
        if e.stance == "supports" and e.article not in appearances:
            appearances[e.article] = _work(e.article, articles, e.source, e.date, e.location)
    item: dict = {"@type": "Claim"}
    if not appearances:  # a claim typed in, that no article states
        return item
    ordered = sorted(appearances.values(), key=lambda w: to_date(w.get("datePublished")) or Date.max)
    first = ordered[0]
    if first.get("publisher"):  # an article that names no outlet: no author rather than a file name
        item["author"] = first["publisher"]
    if first.get("datePublished"):  # nor a made-up date
        item["datePublished"] = first["datePublished"]
    item["appearance"] = ordered
    item["firstAppearance"] = first
    return item


def _work(article_id: str, articles: dict[str, dict], source: str | None, date: str | None, location: str | None) -> dict:
    """An article as a CreativeWork: name, publisher, publication date, and its URL when it had one."""
    meta = articles.get(article_id) or {}
    path = meta.get("path") or (location or "").rsplit(":", 1)[0]
    outlet = " ".join(str(meta.get("source") or source or "").split())
    work: dict = {
        "@type": "CreativeWork",
        "name": meta.get("title") or PurePath(path.split("#", 1)[0]).name or outlet or article_id,
        "identifier": path or article_id,
    }
    if outlet:
        work["publisher"] = {"@type": "Organization", "name": outlet}
    published = to_date(meta.get("date") or date)
    if published:
        work["datePublished"] = published.isoformat()
    url = meta.get("url") or ""
    if url.startswith(("http://", "https://")):
        work["url"] = url
    return work


def claimreview_text(reviews: list[dict]) -> str:
    """The JSON-LD as text that is safe to paste into a <script type="application/ld+json"> block:
    "<", ">" and "&" in quoted text are written as \\u escapes (the same JSON data), so a claim
    containing "</script>" cannot end the block."""
    import json

    text = json.dumps(reviews, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
