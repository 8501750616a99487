"""Faults and concurrent use: killed builds, two writers, readers during a build, damaged files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from factcheck.errors import IndexDamagedError, IndexLockedError
from factcheck.index import current_version, load_index, writer_lock
from factcheck.index.store import BUILD_STAGES, CRASH_ENV
from factcheck.pipeline import build_index, claims_from_texts, verify_claims

from conftest import CORPUS, ROOT, write_corpus

MORE = 160  # articles added by the build under test: a few seconds with the hash embedder
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}


def _build_process(corpus: Path, index: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factcheck.cli",
            "build-index",
            str(corpus),
            "--index",
            str(index),
            "--embedder",
            "hash",
            "-q",
            *extra,
        ],
        cwd=ROOT,
        env={**ENV, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(index: Path) -> dict:
    """What a reader sees: the live version, its manifest and counts (load_index verifies checksums)."""
    loaded = load_index(index)
    return {
        "version": loaded.path.name,
        "manifest": (loaded.path / "manifest.json").read_text(),
        "rows": (len(loaded.articles), len(loaded.sentences), len(loaded.vectors)),
    }


def _wait_for(predicate, timeout: float = 60.0, step: float = 0.005) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def base_index(tmp_path, hash_settings):
    """A live index of the example corpus, and a bigger corpus (a few seconds to build) to add."""
    build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    return Path(hash_settings.index.dir), write_corpus(tmp_path / "more", MORE)


def _lock_holder(index: Path) -> int | None:
    text = (index / ".lock").read_text().strip() if (index / ".lock").exists() else ""
    return int(text) if text.isdigit() else None


def _staging(index: Path) -> list[Path]:
    return list(index.glob(".tmp-*"))


def test_killed_builds_leave_the_previous_index_and_the_next_build_finishes(base_index, hash_settings):
    index, more = base_index
    before = _snapshot(index)
    # a real SIGKILL at each named moment of a build (the crash hook in factcheck.index.store):
    # just after taking the lock, after writing a batch, the tables, the search index, the
    # manifest, and after renaming the finished version into place but before switching to it
    for stage in BUILD_STAGES:
        process = _build_process(more, index, env={CRASH_ENV: stage})
        process.communicate(timeout=120)
        assert process.returncode in (-signal.SIGKILL, 137), f"build was not killed at {stage}"
        assert _snapshot(index) == before, f"killed at {stage}"
        if stage in ("batch-written", "tables-written", "search-written", "manifest-written"):
            assert _staging(index), "the kill did not land while the new version was being written"
        if stage == "renamed":
            assert len(list(index.glob("v-*"))) == 2  # a complete version never made live

    finished = _build_process(more, index)  # no --wait: the killed builds left no lock behind
    _, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err
    after = load_index(index)
    assert len(after.articles) == 7 + MORE
    assert not _staging(index) and not list(index.glob(".CURRENT.*"))  # leftovers of the killed runs removed
    versions = sorted(p.name for p in index.glob("v-*"))
    assert versions == [before["version"], after.path.name]  # the live one and the one before it


def test_second_build_is_refused_while_one_writes(base_index, hash_settings):
    index, more = base_index
    before = _snapshot(index)
    claims = claims_from_texts(["The Harlow dam spillway was opened on Tuesday morning."])
    verify_claims(claims, index=load_index(index), settings=hash_settings)  # models load now, not during the build
    first = _build_process(more, index)
    assert _wait_for(lambda: _lock_holder(index) == first.pid, timeout=30)
    with pytest.raises(IndexLockedError, match=f"Another build is writing {index} \\(pid {first.pid}\\)"):
        build_index([CORPUS], index_dir=index, settings=hash_settings)

    # verify during the build takes no lock and reads the last complete version
    loaded = load_index(index)
    verdicts = verify_claims(claims, index=loaded, settings=hash_settings)
    assert first.poll() is None, "the build ended before verify ran; make the corpus bigger"
    assert len(verdicts) == 1 and loaded.path.name == before["version"]
    assert first.wait(timeout=120) == 0
    assert len(load_index(index).articles) == 7 + MORE


def test_lock_refuses_or_waits(tmp_path, hash_settings):
    index = Path(hash_settings.index.dir)
    with writer_lock(index):
        refused = _build_process(CORPUS, index)  # the real command, while this process holds the lock
        _, err = refused.communicate(timeout=60)
        with pytest.raises(IndexLockedError, match=f"pid {os.getpid()}"):
            build_index([CORPUS], index_dir=index, settings=hash_settings)
    assert refused.returncode == 1 and "Traceback" not in err
    assert (
        f"Another build is writing {index} (pid {os.getpid()}); wait for it to finish, or run build-index with --wait"
        in " ".join(err.split())
    )
    assert not index.joinpath("CURRENT").exists()

    held = threading.Event()
    release = threading.Event()

    def hold():
        with writer_lock(index):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    stats = build_index([CORPUS], index_dir=index, settings=hash_settings, wait=True)
    holder.join()
    assert time.monotonic() - started >= 0.4 and stats.articles_new == 7


def test_reader_whose_version_is_pruned_mid_read_gets_the_new_one(tmp_path, hash_settings, monkeypatch):
    index = Path(hash_settings.index.dir)
    folder = write_corpus(tmp_path / "c", 3)
    build_index([folder / "a00000.txt"], index_dir=index, settings=hash_settings)
    import factcheck.index.store as index_module

    real_read = pd.read_parquet
    calls = []

    def read_while_two_builds_finish(path, *args, **kwargs):
        if not calls:  # the reader has chosen its version; two builds finish and prune it
            calls.append(path)
            build_index([folder / "a00001.txt"], index_dir=index, settings=hash_settings)
            build_index([folder / "a00002.txt"], index_dir=index, settings=hash_settings)
            assert not Path(path).exists()
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(index_module.pd, "read_parquet", read_while_two_builds_finish)
    loaded = load_index(index)
    assert calls and len(loaded.articles) == 3 and loaded.path == current_version(index)


# --------------------------------------------------------------------------- damaged files


@pytest.fixture
def built(hash_settings):
    build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    index = Path(hash_settings.index.dir)
    return index, current_version(index)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _flip_byte, Path.unlink], ids=["truncated", "corrupted", "missing"])
@pytest.mark.parametrize("name", ["articles.parquet", "sentences.parquet", "vectors.npy", "manifest.json"])
def test_damaged_file_is_reported_with_a_rebuild_hint(built, name, damage):
    index, version = built
    damage(version / name)
    with pytest.raises(IndexDamagedError) as caught:
        load_index(index)
    message = str(caught.value)
    assert f"Index at {index} is damaged" in message and f"--index {index} --fresh" in message


def test_damaged_file_is_reported_even_without_checksums(built):
    # the data files are parsed defensively too: a pandas/numpy error never reaches the user
    index, version = built
    for name in ("sentences.parquet", "vectors.npy"):
        _truncate(version / name)
        with pytest.raises(IndexDamagedError, match="is damaged"):
            load_index(index, verify=False)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe garbage", b"../../etc", b"v-20260101T000000-missing\n"],
    ids=["empty", "binary", "outside", "missing-version"],
)
def test_damaged_current_pointer(built, content):
    index, _ = built
    (index / "CURRENT").write_bytes(content)
    with pytest.raises(IndexDamagedError, match=f"Index at {index} is damaged.*--fresh"):
        load_index(index)


def test_manifest_with_missing_fields_is_damaged(built):
    index, version = built
    manifest = json.loads((version / "manifest.json").read_text())
    del manifest["embedder"]
    (version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexDamagedError, match="manifest unreadable"):
        load_index(index)


def test_damaged_index_through_the_cli_and_rebuild(built, hash_settings):
    index, version = built
    _truncate(version / "vectors.npy")
    run = lambda *a: subprocess.run(
        [sys.executable, "-m", "factcheck.cli", *a], cwd=ROOT, env=ENV, capture_output=True, text=True
    )
    checked = run("verify", "--index", str(index), "--embedder", "hash", "The dam opened on Tuesday.")
    assert checked.returncode == 1 and "is damaged" in checked.stderr and "Traceback" not in checked.stderr
    added = run("build-index", str(CORPUS), "--index", str(index), "--embedder", "hash", "-q")
    assert added.returncode == 1 and "is damaged" in added.stderr  # an incremental build won't build on it
    rebuilt = run("build-index", str(CORPUS), "--index", str(index), "--embedder", "hash", "-q", "--fresh")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert len(load_index(index).articles) == 7


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(tmp_path, hash_settings):
    # what a build killed at each step of writing a version leaves: a staging dir, a pointer temp, and a
    # complete version renamed into place whose CURRENT switch never happened
    index = Path(hash_settings.index.dir)
    folder = write_corpus(tmp_path / "c", 2)
    build_index([folder / "a00000.txt"], index_dir=index, settings=hash_settings)
    live = current_version(index)
    orphan = index / "v-99991231T235959000000-orphaned"
    shutil.copytree(live, orphan)
    (index / ".tmp-v-99991231T235959000000-staging").mkdir()
    (index / ".CURRENT.1234abcd").write_text(orphan.name)
    assert load_index(index).path == live  # none of it is visible to readers
    build_index([folder / "a00001.txt"], index_dir=index, settings=hash_settings)
    names = sorted(p.name for p in index.iterdir())
    assert names == sorted([".lock", "CURRENT", live.name, current_version(index).name])
