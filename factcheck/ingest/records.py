"""Multi-record files: .json, .jsonl (streamed line by line) and .csv, one article per record."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .decode import decode_bytes, read_text
from .paths import SkipHandler, _log_skip
from .plain import make_article, parse_plain_text

FIELD_ALIASES = {
    "text": ("text", "body", "content", "article", "articleBody"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site", "site_name", "sitename"),
    "date": ("date", "published", "published_at", "publication_date", "datePublished"),
    "url": ("url", "link"),
}


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
        article = make_article(label, meta, paragraphs)
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


def _records(
    source: str | Iterable[tuple[int, str]], suffix: str, path: Path, on_skip: SkipHandler
) -> Iterator[tuple[int, dict, int]]:
    """(record number, record, first line) for each record of a json, jsonl or csv file.

    `source` is the decoded file, or for .jsonl its numbered lines.
    """
    if suffix == ".jsonl":
        assert not isinstance(source, str)  # .jsonl arrives as numbered lines
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
        assert isinstance(source, str)
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
        assert isinstance(source, str)
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
