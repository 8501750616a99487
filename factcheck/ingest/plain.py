"""Plain text -> kept paragraphs and metadata: page boilerplate stripped, headers, datelines and
copyright lines read for title, outlet and date. Every paragraph keeps its character offset and
line number in the decoded source. Also the reader of .txt/.md files and the one `make_article`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..models import Article, Paragraph
from ..text import content_hash
from ..text.dates import DATE_PATTERN, MONTH, date_from_match, parse_date
from .decode import read_text

TOP_LINES = 12  # lines at the top of a page where a dateline or caption date is the publication date

# --------------------------------------------------------------------------- boilerplate

_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        ©.* | \(c\)\s*\d{4}.* | copyright\b.* | .*\ball\ rights\ reserved\b.*
      | see\ also\b.* | read\ (?:more|also)\b.{0,120} | related(?:\ (?:topics|stories|articles|news|coverage))?:?
      | shares?:? | share\ (?:this|on)\b.{0,60} | (?:tweet|email|print|facebook|twitter|whatsapp|linkedin)
      | .*\bsubscribe\b.{0,80} | .*\bsubscriber\b.{0,80} | .*\bnewsletter\b.{0,80} | sign\ up\b.{0,80}
      | .*leave\ a\ tip.* | .*help\ keep\ our\ content\ free.* | we\ answer\ to\ you\b.* | .*\bsupport\ our\ journalism\b.*
      | comments?\ ?(?:\(\d+\))?:? | leave\ a\ (?:reply|comment).* | .*join\ the\ conversation.*
      | your\ email\ address\ will\ not\ be\ published.* | required\ fields\ are\ marked.*
      | advertisement | sponsored(?:\ content)? | cover\ image | image\ source.* | sources?:
      | (?:photo|image|picture)s?\ ?(?:credit)?:.* | \((?:photo|image|picture)\b.*\)
      | .*can\ also\ be\ accessed\ at.* | (?:https?://|www\.)\S+
      | .*will\ update\ this\ (?:story|report|article)\b.* | this\ (?:story|article)\ (?:has\ been|was)\ updated\b.*
      | (?:click|tap)\ here\b.{0,80} | follow\ us\b.{0,80} | download\ (?:our|the)\ app.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT_SUFFIX = re.compile(
    r"\s*\((?:(?:photo|image|picture)s?\b[^()]*|getty\ images|ap(?:\ photo)?[^()]*|reuters[^()]*|afp[^()]*|file\ photo)\)\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_TAG_BLOCK_START = re.compile(
    r"^(?:related\ topics|tags|topics|more\ on\ this\ story|related\ stories|related\ articles):?$", re.I | re.X
)
_BREADCRUMB = re.compile(r"^[\w'’ ]{1,30}(?:\s+[/>|»›]\s+[\w'’ ]{1,30}){1,6}$")
_TERMINAL = re.compile(r"""[.!?…]["'”’)\]]*$""")


def is_boilerplate(line: str) -> bool:
    """A whole line that is page furniture rather than article text."""
    stripped = line.strip()
    if not stripped:
        return True
    return bool(_BOILERPLATE_LINE.match(stripped) or _BREADCRUMB.match(stripped))


def strip_credit(line: str) -> str:
    """Remove a trailing photo credit such as "(Getty Images)"."""
    return _CREDIT_SUFFIX.sub("", line)


# --------------------------------------------------------------------------- metadata

_DATELINE_SOURCE = re.compile(
    rf"^(?:{MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)\s*(?:[|•·—–-]\s*|(?=[A-Z]))(?P<source>[A-Z][\w&.' ]{{1,40}})$",
    re.IGNORECASE,
)
_COPYRIGHT_SOURCE = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<source>[^.,]+?)(?:,?\s+(?:LLC|Inc|Ltd|Limited|plc|Corp|Co)\.?)?(?:[.,]|\s+all rights reserved|$)",
    re.IGNORECASE,
)
_WEBSITE_SOURCE = re.compile(r"^(?P<source>[A-Z][\w&. ]{1,40}?)[’']s website\b")


def clean_source(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"\s+", " ", str(name)).strip(" .,-|")
    name = re.sub(r"\b(?:LLC|Inc|Ltd|Limited|plc|Corp)\.?$", "", name).strip(" .,")
    return name or None


# --------------------------------------------------------------------------- text -> paragraphs

_HEADER_KEY = re.compile(r"^(title|headline|source|outlet|publisher|date|published|url|link|author|byline)\s*:\s*(.*)$", re.I)


@dataclass
class _Line:
    text: str
    offset: int
    number: int


def _lines(text: str, base_offset: int = 0, base_line: int = 1) -> list[_Line]:
    lines, offset = [], base_offset
    for number, raw in enumerate(text.split("\n"), start=base_line):
        lines.append(_Line(raw, offset, number))
        offset += len(raw) + 1
    return lines


def parse_plain_text(
    text: str, *, base_offset: int = 0, base_line: int = 1, markdown: bool = False
) -> tuple[dict[str, str | None], list[Paragraph]]:
    """Split text into kept paragraphs and metadata found in headers, datelines and boilerplate."""
    meta: dict[str, str | None] = {}
    lines = _lines(text, base_offset, base_line)
    lines = _read_header(lines, meta, markdown=markdown)
    paragraphs: list[Paragraph] = []
    in_tag_block = False
    pending: _Line | None = None  # a hard-wrapped paragraph being joined
    for seen, line in enumerate(lines):
        stripped = line.text.strip()
        if markdown:
            stripped = _strip_markdown(stripped)
        if not stripped:
            in_tag_block = False if not paragraphs else in_tag_block
            pending = _flush(pending, paragraphs)
            continue
        _harvest_metadata(stripped, meta, near_top=seen < TOP_LINES)
        if _TAG_BLOCK_START.match(stripped):
            in_tag_block = True
            pending = _flush(pending, paragraphs)
            continue
        if in_tag_block and not _TERMINAL.search(stripped) and len(stripped.split()) <= 8:
            continue
        in_tag_block = False
        if is_boilerplate(stripped) or _is_dateline(stripped):
            pending = _flush(pending, paragraphs)
            continue
        uncredited = strip_credit(stripped)
        if not uncredited:  # a credit line of its own also ends the paragraph before it
            pending = _flush(pending, paragraphs)
            continue
        lead = len(line.text) - len(line.text.lstrip())
        current = _Line(uncredited, line.offset + lead, line.number)
        if uncredited != stripped:  # a photo caption: its credit ended it, nothing wraps onto it
            _flush(pending, paragraphs)
            pending = _flush(current, paragraphs)
            continue
        stripped = uncredited
        if pending is not None and _continues(pending.text, stripped):
            pending = _Line(_join(text, base_offset, pending, current), pending.offset, pending.number)
            continue
        _flush(pending, paragraphs)
        pending = current
    _flush(pending, paragraphs)
    meta.pop("_source_from", None)
    paragraphs = _drop_fragments(paragraphs)
    if "title" not in meta or not meta["title"]:
        meta["title"] = _guess_title(paragraphs)
    title = meta.get("title")
    if title:  # a headline repeated in the body is one statement, not two
        seen_title = False
        kept = []
        for p in paragraphs:
            if p.text.strip().lower() == title.strip().lower():
                if seen_title:
                    continue
                seen_title = True
            kept.append(p)
        paragraphs = kept
    return meta, paragraphs


def _is_fragment(text: str, max_words: int) -> bool:
    return len(text.split()) <= max_words and not _TERMINAL.search(text)


def _drop_fragments(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Drop bylines and widget labels ("ClashReport Editor") and the furniture that trails a page."""
    kept = paragraphs[:1] + [p for p in paragraphs[1:] if not _is_fragment(p.text, 3)]
    while kept and _is_fragment(kept[-1].text, 6):
        kept.pop()
    return kept


def _join(text: str, base_offset: int, pending: _Line, current: _Line) -> str:
    """A hard-wrapped paragraph as its source span with line breaks and indents as spaces.

    Keeping the source's length keeps sentence offsets exact; when markup was stripped the
    lines are joined with one space and offsets are approximate.
    """
    joined = pending.text + " " + current.text
    span = text[pending.offset - base_offset : current.offset - base_offset + len(current.text)]
    same_length = re.sub(r"\s", " ", span)
    return same_length if same_length.split() == joined.split() else joined


def _flush(pending: _Line | None, paragraphs: list[Paragraph]) -> _Line | None:
    """Keep the pending paragraph if it states anything; returns the new pending one, None."""
    if pending is not None and any(ch.isalnum() for ch in pending.text):  # "* * *", "...": no statement
        paragraphs.append(Paragraph(pending.text, pending.offset, pending.number))
    return None


def _continues(previous: str, nxt: str) -> bool:
    """A hard-wrapped line: the previous line is long, unfinished, and the next goes on in lowercase."""
    return len(previous) >= 60 and not _TERMINAL.search(previous) and nxt[:1].islower()


def _read_header(lines: list[_Line], meta: dict[str, str | None], *, markdown: bool) -> list[_Line]:
    """Front matter (---) or a block of `Key: value` lines at the top of the file."""
    start = 0
    while start < len(lines) and not lines[start].text.strip():
        start += 1
    if start < len(lines) and lines[start].text.strip() == "---":
        for end in range(start + 1, min(len(lines), start + 60)):
            if lines[end].text.strip() in ("---", "..."):
                for line in lines[start + 1 : end]:
                    _header_pair(line.text, meta)
                return lines[end + 1 :]
    end = start
    while end < len(lines) and _header_pair(lines[end].text, meta):
        end += 1
    return lines[end:] if end > start else lines


def _header_pair(text: str, meta: dict[str, str | None]) -> bool:
    match = _HEADER_KEY.match(text.strip())
    if not match:
        return False
    key = match.group(1).lower()
    value = match.group(2).strip().strip("'\"") or None
    canonical = {"headline": "title", "outlet": "source", "publisher": "source", "published": "date", "link": "url"}.get(key, key)
    if canonical in ("title", "source", "date", "url"):
        meta.setdefault(canonical, value)
    return True


def _harvest_metadata(line: str, meta: dict[str, str | None], *, near_top: bool) -> None:
    """Outlet from copyright lines and datelines; date from a dateline or caption near the top.

    Dates further down are events the article mentions, not its publication date.
    """
    # a dateline or "X's website" names the outlet; a copyright line often names its parent company
    weak = meta.get("_source_from") == "copyright"
    if not meta.get("source") or weak:
        for kind, pattern in (("dateline", _DATELINE_SOURCE), ("website", _WEBSITE_SOURCE), ("copyright", _COPYRIGHT_SOURCE)):
            if weak and kind == "copyright":
                continue
            match = pattern.match(line)
            if match and not re.fullmatch(r"\s*all rights reserved\s*", match.group("source"), re.I):
                meta["source"] = clean_source(match.group("source"))
                meta["_source_from"] = kind
                break
    if near_top and not meta.get("date") and not _COPYRIGHT_SOURCE.match(line):
        match = DATE_PATTERN.search(line)
        if match:
            meta["date"] = date_from_match(match)


def _is_dateline(line: str) -> bool:
    return bool(_DATELINE_SOURCE.match(line)) or bool(re.fullmatch(DATE_PATTERN.pattern, line.strip(), re.I))


def _guess_title(paragraphs: list[Paragraph]) -> str | None:
    for p in paragraphs[:3]:
        words = p.text.split()
        if 2 <= len(words) <= 20 and not _TERMINAL.search(p.text):
            return p.text
    return None


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", line)
    line = re.sub(r"^>\s?", "", line)
    line = _MD_LINK.sub(r"\1", line)
    return re.sub(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))", "", line)


def make_article(path: str, meta: dict, paragraphs: list[Paragraph]) -> Article | None:
    if not paragraphs:
        return None
    article = Article(
        id="",
        path=path,
        paragraphs=paragraphs,
        title=(meta.get("title") or None),
        source=clean_source(meta.get("source")),
        date=parse_date(meta.get("date")),
        url=meta.get("url") or None,
    )
    article.id = content_hash(article.text)
    return article


def read_text_file(path: Path) -> list[Article]:
    text = read_text(path)
    meta, paragraphs = parse_plain_text(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    article = make_article(str(path), meta, paragraphs)
    return [article] if article else []
