import shutil

import numpy as np
import pandas as pd
import pytest

from factcheck.errors import IndexDamagedError, IndexMismatchError, InputError, NoIndexError
from factcheck.index import current_version, load_index
from factcheck.pipeline import build_index

from conftest import CORPUS, FIXTURES


def _copy_corpus(tmp_path, names=None):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(CORPUS.iterdir()):
        if names is None or path.name in names:
            shutil.copy(path, folder / path.name)
    return folder


def test_build_and_load(tmp_path, hash_settings):
    stats = build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    index = load_index(hash_settings.index.dir)
    assert stats.articles_new == 7 == len(index.articles)
    assert len(index.sentences) == stats.sentences_total > 50
    # the wire copy repeats sentences of article 01 word for word: one vector for each repeated text
    assert len(index.vectors) == index.sentences["hash"].nunique() < len(index.sentences)
    assert np.allclose(np.linalg.norm(index.vectors, axis=1), 1, atol=1e-5)
    manifest = index.manifest
    assert manifest["embedder"] == {"name": "hash:256", "dimension": 256}
    assert manifest["counts"]["articles"] == 7 and set(manifest["checksums"]) >= {"vectors.npy", "sentences.parquet"}


def test_rebuild_embeds_only_new_text(tmp_path, hash_settings):
    folder = _copy_corpus(tmp_path, {"01_valley_wire.txt", "02_millbrook_herald.md"})
    first = build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    version = current_version(tmp_path / "index")
    again = build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    assert again.embedded == 0 and current_version(tmp_path / "index") == version  # nothing new, nothing written
    shutil.copy(CORPUS / "07_westbridge_tribune.txt", folder)
    third = build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    index = load_index(hash_settings.index.dir)
    new_texts = set(index.sentences.loc[index.sentences["article_id"] == index.articles.iloc[-1]["article_id"], "hash"])
    old_texts = set(index.sentences.loc[index.sentences["article_id"] != index.articles.iloc[-1]["article_id"], "hash"])
    assert third.articles_new == 1
    assert third.embedded == len(new_texts - old_texts) < len(new_texts)  # the copied sentences were not re-embedded
    assert first.embedded + third.embedded == len(index.vectors)


def test_edited_file_replaces_its_old_version(tmp_path, hash_settings):
    folder = _copy_corpus(tmp_path, {"01_valley_wire.txt"})
    build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    path = folder / "01_valley_wire.txt"
    path.write_text(path.read_text() + "\nA new paragraph says the spillway was repaired overnight by 40 engineers.\n")
    stats = build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    index = load_index(hash_settings.index.dir)
    assert stats.articles_replaced == 1 and len(index.articles) == 1
    assert stats.embedded == 1
    assert index.sentences["text"].str.contains("40 engineers").any()


def test_other_embedder_is_refused(hash_settings):
    build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    with pytest.raises(IndexMismatchError, match="hash:256"):
        load_index(hash_settings.index.dir, embedder="sentence-transformers:all-MiniLM-L6-v2")


def test_damaged_index_is_reported(tmp_path, hash_settings):
    build_index([CORPUS], index_dir=hash_settings.index.dir, settings=hash_settings)
    vectors = current_version(tmp_path / "index") / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexDamagedError, match="damaged"):
        load_index(hash_settings.index.dir)


def test_no_index_and_empty_corpus(tmp_path, hash_settings):
    with pytest.raises(NoIndexError, match="build-index"):
        load_index(tmp_path / "nothing")
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copy(FIXTURES / "empty.txt", empty)
    with pytest.raises(InputError, match="No usable articles"):
        build_index([empty], index_dir=hash_settings.index.dir, settings=hash_settings)
    assert current_version(tmp_path / "index") is None


def _assert_consistent(index, embedder):
    """One vector row per distinct text, every row used, and each row holds its text's vector."""
    s = index.sentences
    assert len(index.vectors) == s["hash"].nunique() == s["vector_row"].nunique()
    assert s.groupby("hash")["vector_row"].nunique().eq(1).all()
    assert sorted(set(s["vector_row"])) == list(range(len(index.vectors)))
    first = s.drop_duplicates("hash")
    np.testing.assert_array_equal(index.vectors[first["vector_row"].to_numpy()], embedder.embed_batch(list(first["text"])))
    # what verify reads instead of the table: each vector's sentence rows, each article's rows, rows by number
    for row in range(len(index.vectors)):
        assert index.vector_members(row).tolist() == s.index[s["vector_row"] == row].tolist()
    for article in index.articles.itertuples():
        rows = s.iloc[article.first_row : article.first_row + article.n_sentences]
        assert (rows["article_id"] == article.article_id).all() and (s["article_id"] == article.article_id).sum() == len(rows)
    picked = [len(s) - 1, 0, len(s) // 2, 0]
    read = index.sentence_rows(picked, ["sentence_id", "text", "vector_row"])
    assert read == {c: s[c].iloc[picked].tolist() for c in ("sentence_id", "text", "vector_row")}


@pytest.mark.parametrize("batch", [1, 7, 50])
def test_build_in_batches_equals_one_batch(tmp_path, hash_settings, batch):
    """A build streams `batch` sentences at a time; the index must not depend on the batch size,
    for a fresh build, an incremental one (reused vectors) and one that replaces an edited file."""
    from factcheck.embed import load_embedder

    embedder = load_embedder("hash", "")
    folder = _copy_corpus(tmp_path, {"01_valley_wire.txt", "02_millbrook_herald.md", "03_lindmoor9.html"})
    one, many = tmp_path / "one", tmp_path / "many"

    def both(**kwargs):
        a = build_index([folder], index_dir=one, settings=hash_settings, batch_sentences=10**9, **kwargs)
        b = build_index([folder], index_dir=many, settings=hash_settings, batch_sentences=batch, **kwargs)
        assert (a.articles_new, a.articles_replaced, a.sentences_new, a.sentences_total, a.embedded) == (
            b.articles_new,
            b.articles_replaced,
            b.sentences_new,
            b.sentences_total,
            b.embedded,
        )
        left, right = load_index(one), load_index(many)
        pd.testing.assert_frame_equal(left.articles, right.articles)
        pd.testing.assert_frame_equal(left.sentences, right.sentences)
        np.testing.assert_array_equal(left.vectors, right.vectors)
        assert left.manifest["counts"] == right.manifest["counts"]
        _assert_consistent(right, embedder)
        return right

    both(fresh=True)
    for path in sorted(CORPUS.iterdir()):  # the rest of the corpus, with the wire copy of article 01
        if not (folder / path.name).exists():
            shutil.copy(path, folder / path.name)
    grown = both()
    assert len(grown.articles) == 7
    edited = folder / "02_millbrook_herald.md"
    edited.write_text(edited.read_text() + "\nA late update says 40 engineers repaired the spillway overnight.\n")
    after = both()
    assert len(after.articles) == 7 and after.sentences["text"].str.contains("40 engineers").any()


def test_above_the_exact_size_an_approximate_index_is_built_once_and_agrees(tmp_path, hash_settings):
    from factcheck.index.store import SEARCH_FILE

    exact_dir, approx_dir = tmp_path / "exact", tmp_path / "approx"
    build_index([CORPUS], index_dir=exact_dir, settings=hash_settings)
    small = hash_settings.with_overrides(index={"exact_search_max": 20, "approximate": "hnsw"})
    build_index([CORPUS], index_dir=approx_dir, settings=small)
    exact, approx = load_index(exact_dir), load_index(approx_dir)
    assert approx.manifest["search"]["kind"] == "hnsw" and exact.manifest["search"]["kind"] == "flat"
    assert (approx.path / SEARCH_FILE).is_file() and SEARCH_FILE in approx.manifest["checksums"]
    assert not (exact.path / SEARCH_FILE).exists()
    queries = exact.vectors[:20]
    _, exact_rows = exact.search(queries, 5)
    _, approx_rows = approx.search(queries, 5)
    assert (exact_rows[:, 0] == approx_rows[:, 0]).mean() >= 0.95
    (approx.path / SEARCH_FILE).write_bytes(b"garbage")
    with pytest.raises(IndexDamagedError, match=SEARCH_FILE):
        load_index(approx_dir)


def test_a_format_1_index_is_refused_with_the_upgrade_and_upgraded_by_a_build(tmp_path, hash_settings):
    """Format 2 added the row-number files; a format-1 index says how to upgrade, and a build
    over it writes format 2 reusing its vectors (nothing re-embedded)."""
    import json

    from factcheck.index.store import MEMBERS_FILE, OFFSETS_FILE

    folder = _copy_corpus(tmp_path)
    build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    version = current_version(tmp_path / "index")
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["format_version"] = 1  # as format 1 wrote it: no vector members
    for name in (MEMBERS_FILE, OFFSETS_FILE):
        (version / name).unlink()
        del manifest["checksums"][name]
    (version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="has format 1.*build-index PATHS.*nothing is re-embedded"):
        load_index(tmp_path / "index")
    stats = build_index([folder], index_dir=hash_settings.index.dir, settings=hash_settings)
    assert stats.embedded == 0 and stats.articles_new == 0
    upgraded = load_index(tmp_path / "index")
    assert upgraded.manifest["format_version"] == 2 and upgraded.path != version
    from factcheck.embed import load_embedder

    _assert_consistent(upgraded, load_embedder("hash", ""))
