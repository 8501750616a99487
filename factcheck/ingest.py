"""Read article files into `Article`s: decode, strip page boilerplate, extract metadata.

Formats: .txt, .md, .html/.htm, .json, .jsonl, .csv. Every paragraph keeps its character offset
and line number in the decoded source, so evidence can be located by a reader.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from .errors import InputError
from .models import Article, Paragraph

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl", ".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
TOP_LINES = 12  # lines at the top of a page where a dateline or caption date is the publication date
MAX_FILE_BYTES = 200 * 1024 * 1024  # larger single files are refused rather than read whole

FIELD_ALIASES = {
    "text": ("text", "body", "content", "article", "articleBody"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site", "site_name", "sitename"),
    "date": ("date", "published", "published_at", "publication_date", "datePublished"),
    "url": ("url", "link"),
}

SkipHandler = Callable[[str, str], None]


def _log_skip(path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)


# --------------------------------------------------------------------------- paths


def expand_paths(paths: Iterable[str | os.PathLike], *, on_skip: SkipHandler = _log_skip) -> list[Path]:
    """Files, directories (recursive) and glob patterns -> sorted supported files.

    A path that matches nothing is an error; unsupported files inside directories are ignored.
    """
    return list(iter_paths(paths, on_skip=on_skip))


def iter_paths(paths: Iterable[str | os.PathLike], *, on_skip: SkipHandler = _log_skip) -> Iterator[Path]:
    """`expand_paths` as a stream: the same files in the same order, one directory listed at a time.

    Every path is checked before the first file is yielded. Files reached twice (overlapping
    arguments or globs) come once; a single directory or file needs no memory of what was yielded.
    """
    candidates: list[Path] = []
    for raw in paths:
        text = str(raw)
        found = [Path(p) for p in sorted(glob.glob(text, recursive=True))] if glob.has_magic(text) else [Path(text)]
        if not found or not any(c.exists() or c.is_symlink() for c in found):
            raise InputError(f"No such file or directory: {text}")
        candidates.extend(found)
    seen: set[str] | None = set() if len(candidates) > 1 else None
    for candidate in candidates:
        if candidate.is_dir():
            files = _files_in(candidate, on_skip)
        elif candidate.suffix.lower() in SUPPORTED_SUFFIXES:
            files = iter([candidate])
        else:
            on_skip(str(candidate), f"unsupported file type '{candidate.suffix or '(none)'}'")
            continue
        for path in files:
            if seen is not None:
                if str(path) in seen:
                    continue
                seen.add(str(path))
            yield path


def _files_in(root: Path, on_skip: SkipHandler) -> Iterator[Path]:
    for child in _walk(root):
        if _hidden(child, root):
            continue
        if child.is_symlink() and not child.exists():
            on_skip(str(child), "broken symbolic link")
        elif child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
            yield child


def _walk(directory: Path) -> Iterator[Path]:
    """What `sorted(directory.rglob("*"))` lists, in that order, holding one directory's entries at a time.

    Depth first with each directory's entries sorted by name is the order of sorted paths; like
    rglob, it does not descend into symbolic links to directories and skips unreadable ones.
    """
    try:
        with os.scandir(directory) as scan:
            entries = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in scan)
    except OSError:
        return
    for name, is_dir in entries:
        child = directory / name
        yield child
        if is_dir:
            yield from _walk(child)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes) -> str:
    """Decode text of unknown encoding; raise InputError for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte order mark: text despite its NUL bytes
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("invalid UTF-16 text") from exc
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    if any(not line.isascii() and _is_utf8(line) for line in lines):
        # mixed: UTF-8 text with lines pasted from a legacy (usually Windows-1252) file
        return "".join(line.decode("utf-8") if _is_utf8(line) else _decode_legacy(line) for line in lines)
    return _decode_legacy(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_legacy(data: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("not text in any known encoding")
    # short English text fits several code pages about equally well; Windows-1252 is the usual one
    western = next((str(m) for m in matches if m.encoding == "cp1252"), None)
    text = western if western is not None and _looks_western(western) else str(best)
    if _control_ratio(text) > 0.05:
        raise InputError("binary file (mostly control characters)")
    return text


_WESTERN_SYMBOLS = set("“”‘’–—…€£¢©®°•·«»§\u00a0")


def _looks_western(text: str) -> bool:
    """Mostly ASCII letters; every other character an accented letter or common typography."""
    letters = [ch for ch in text if ch.isalpha()]
    foreign = [ch for ch in text if not ch.isascii()]
    if not letters or sum(not ch.isascii() for ch in letters) > 0.3 * len(letters):
        return False
    return all(ch.isalpha() or ch in _WESTERN_SYMBOLS for ch in foreign)


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError("permission denied") from exc
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    text = decode_bytes(data)
    if _control_ratio(text) > 0.05:
        raise InputError("binary file (mostly control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
_TAG_BLOCK_START = re.compile(r"^(?:related\ topics|tags|topics|more\ on\ this\ story|related\ stories|related\ articles):?$", re.I | re.X)
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

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MON_ABBR = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
DATE_PATTERN = re.compile(
    rf"\b(?P<month>{_MONTHS}|(?:{_MON_ABBR})\.?)\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)"
    rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTHS}|(?:{_MON_ABBR})\.?)\s+(?P<year2>(?:19|20)\d\d)(?!\d)"
    rf"|\b(?P<iso>(?:19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)
_DATELINE_SOURCE = re.compile(
    rf"^(?:(?:{_MONTHS}|(?:{_MON_ABBR})\.?)\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)\s*(?:[|•·—–-]\s*|(?=[A-Z]))(?P<source>[A-Z][\w&.' ]{{1,40}})$",
    re.IGNORECASE,
)
_COPYRIGHT_SOURCE = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<source>[^.,]+?)(?:,?\s+(?:LLC|Inc|Ltd|Limited|plc|Corp|Co)\.?)?(?:[.,]|\s+all rights reserved|$)",
    re.IGNORECASE,
)
_WEBSITE_SOURCE = re.compile(r"^(?P<source>[A-Z][\w&. ]{1,40}?)[’']s website\b")


def parse_date(value: object) -> str | None:
    """Normalise a date given in any common form to YYYY-MM-DD, or None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    match = DATE_PATTERN.search(text)
    if match:
        return _date_from_match(match)
    try:
        from dateutil import parser as dateparser

        parsed = dateparser.parse(text, default=None, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date().isoformat() if parsed else None


def _date_from_match(match: re.Match[str]) -> str | None:
    if match.group("iso"):
        try:
            return Date.fromisoformat(match.group("iso")).isoformat()
        except ValueError:
            return None
    month = (match.group("month") or match.group("month2")).rstrip(".").lower()[:3]
    day = int(match.group("day") or match.group("day2"))
    year = int(match.group("year") or match.group("year2"))
    month_number = [m[:3] for m in _MONTHS.split("|")].index(month) + 1
    try:
        return Date(year, month_number, day).isoformat()
    except ValueError:
        return None


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


def _flush(pending: _Line | None, paragraphs: list[Paragraph]) -> None:
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
            meta["date"] = _date_from_match(match)


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


# --------------------------------------------------------------------------- formats


def content_hash(text: str) -> str:
    """Hash of whitespace- and case-normalised text: equal for copies that differ only in layout."""
    normalised = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def _make_article(path: str, meta: dict, paragraphs: list[Paragraph]) -> Article | None:
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
    article = _make_article(str(path), meta, paragraphs)
    return [article] if article else []


def read_html_file(path: Path) -> list[Article]:
    html = read_text(path)
    return [a for a in [parse_html(html, path=str(path))] if a]


def parse_html(html: str, *, path: str) -> Article | None:
    """Main text and metadata of a web page (trafilatura), paragraphs located in the source."""
    import trafilatura

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
    return _make_article(path, meta, paragraphs)


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


def read_record_file(path: Path, *, on_skip: SkipHandler = _log_skip) -> list[Article]:
    return list(iter_record_articles(path, on_skip=on_skip))


def iter_record_articles(path: Path, *, on_skip: SkipHandler = _log_skip) -> Iterator[Article]:
    """Articles of a .json, .jsonl or .csv file; a .jsonl file is read line by line, never whole."""
    suffix = path.suffix.lower()
    source = _jsonl_lines(path, on_skip) if suffix == ".jsonl" else read_text(path)
    for number, record, line in _records(source, suffix, path, on_skip):
        body = _field(record, "text")
        if not isinstance(body, str) or not body.strip():
            reason = "no text field" if body is None else f"text field is {type(body).__name__}, not a string"
            on_skip(f"{path}#{number}", reason)
            continue
        meta = {key: _string_field(record, key) for key in ("title", "source", "date", "url")}
        found, paragraphs = parse_plain_text(body, base_line=line)
        for key, value in found.items():
            if not meta.get(key):
                meta[key] = value
        label = str(path) if suffix == ".json" and number == 1 else f"{path}#{number}"
        article = _make_article(label, meta, paragraphs)
        if article:
            yield article


def _jsonl_lines(path: Path, on_skip: SkipHandler) -> Iterator[tuple[int, str]]:
    """(line number, text) of a .jsonl file, one line in memory at a time, so no size limit applies."""
    try:
        handle = path.open("rb")
    except PermissionError as exc:
        raise InputError("permission denied") from exc
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    with handle:
        head = handle.read(8192)
        if b"\x00" in head:  # UTF-16 or binary: decode the whole file (size-limited) the usual way
            yield from enumerate(read_text(path).split("\n"), start=1)
            return
        handle.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield number, decode_bytes(raw)
                except InputError as exc:
                    on_skip(f"{path}:{number}", str(exc))


def _records(source: str | Iterable[tuple[int, str]], suffix: str, path: Path, on_skip: SkipHandler) -> Iterator[tuple[int, dict, int]]:
    """(record number, record, first line) for each record of a json, jsonl or csv file.

    `source` is the decoded file, or for .jsonl its numbered lines.
    """
    if suffix == ".jsonl":
        for line_number, line in source:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                on_skip(f"{path}:{line_number}", f"invalid JSON ({exc.msg})")
                continue
            if isinstance(record, dict):
                yield line_number, record, line_number
            else:
                on_skip(f"{path}:{line_number}", "record is not a JSON object")
    elif suffix == ".json":
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
        records = data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else []
        for number, record in enumerate(records, start=1):
            if isinstance(record, dict):
                yield number, record, 1
            else:
                on_skip(f"{path}#{number}", "record is not a JSON object")
    else:
        reader = csv.DictReader(io.StringIO(source))
        if not reader.fieldnames or not any(_alias_in(reader.fieldnames, "text")):
            raise InputError(f"CSV has no text column (expected one of: {', '.join(FIELD_ALIASES['text'])})")
        number = 0
        while True:
            first_line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise InputError(f"malformed CSV near line {reader.line_num}: {exc}") from exc
            number += 1
            yield number, record, first_line


def _alias_in(fieldnames: Iterable[str], key: str) -> Iterator[bool]:
    lowered = {f.lower() for f in fieldnames if f}
    return (alias.lower() in lowered for alias in FIELD_ALIASES[key])


def _field(record: dict, key: str) -> object:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for alias in FIELD_ALIASES[key]:
        if alias.lower() in lowered and lowered[alias.lower()] not in (None, ""):
            return lowered[alias.lower()]
    return None


def _string_field(record: dict, key: str) -> str | None:
    value = _field(record, key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


READERS: dict[str, Callable[[Path], list[Article]]] = {
    **{suffix: read_text_file for suffix in TEXT_SUFFIXES},
    **{suffix: read_html_file for suffix in HTML_SUFFIXES},
    **{suffix: read_record_file for suffix in RECORD_SUFFIXES},
}


def read_file(path: Path, *, on_skip: SkipHandler = _log_skip) -> list[Article]:
    """All articles in one file; raises InputError when the file can't be used.

    Records of a .json/.jsonl/.csv file that can't be used are reported to `on_skip`.
    """
    return list(iter_file_articles(path, on_skip=on_skip))


def iter_file_articles(path: Path, *, on_skip: SkipHandler = _log_skip) -> Iterator[Article]:
    """The articles of one file as they are read; raises InputError when the file can't be used."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"unsupported file type '{path.suffix}'")
    if path.is_symlink() and not path.exists():
        raise InputError("broken symbolic link")
    if reader is read_record_file:
        yield from iter_record_articles(path, on_skip=on_skip)
    else:
        yield from reader(path)


def iter_articles(paths: Iterable[str | os.PathLike], *, on_skip: SkipHandler = _log_skip) -> Iterator[Article]:
    """Stream the articles under `paths`; files that can't be read are reported and skipped."""
    for path in iter_paths(paths, on_skip=on_skip):
        found = 0
        try:
            for article in iter_file_articles(path, on_skip=on_skip):
                found += 1
                yield article
        except InputError as exc:
            on_skip(str(path), str(exc))
            continue
        if not found:
            on_skip(str(path), "no article text found")
