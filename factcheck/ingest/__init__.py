"""Read article files into `Article`s: decode, strip page boilerplate, extract metadata.

Formats: .txt, .md, .html/.htm, .json, .jsonl, .csv, each read by the reader `READERS` names for
its suffix. Every paragraph keeps its character offset and line number in the decoded source, so
evidence can be located by a reader.

    paths.py    paths, directories and globs -> files
    decode.py   bytes of any encoding -> text
    plain.py    text -> paragraphs + metadata (boilerplate, headers, datelines)
    html.py     web pages (trafilatura)
    records.py  .json / .jsonl / .csv records
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .decode import decode_bytes, read_text
from .html import parse_html, read_html_file
from .paths import (
    HTML_SUFFIXES,
    RECORD_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    SkipHandler,
    _log_skip,
    expand_paths,
    iter_paths,
)
from .plain import clean_source, parse_date, parse_plain_text, read_text_file
from .records import iter_record_articles, read_record_file

__all__ = [
    "READERS",
    "SUPPORTED_SUFFIXES",
    "clean_source",
    "decode_bytes",
    "expand_paths",
    "iter_articles",
    "iter_file_articles",
    "iter_paths",
    "parse_date",
    "parse_html",
    "parse_plain_text",
    "read_file",
    "read_text",
]

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
