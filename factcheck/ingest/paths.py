"""Which files are articles: paths, directories and globs -> supported files, in a stable order."""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError

log = logging.getLogger("factcheck.ingest")

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl", ".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES

SkipHandler = Callable[[str, str], None]


def _log_skip(path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)


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
