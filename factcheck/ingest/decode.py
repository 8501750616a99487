"""Bytes of unknown encoding -> text; binary and oversized files are refused."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

MAX_FILE_BYTES = 200 * 1024 * 1024  # larger single files are refused rather than read whole


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
