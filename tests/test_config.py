"""Settings: the shipped default.toml holds every field with its default; values are range-checked."""

from __future__ import annotations

import tomllib
from dataclasses import fields

import pytest

from factcheck.config import DEFAULT_CONFIG, Settings, load_settings, settings_from_dict
from factcheck.errors import ConfigError


def test_default_toml_holds_every_field_with_its_default():
    data = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    defaults = Settings()
    expected = {
        s.name: {f.name: getattr(getattr(defaults, s.name), f.name) for f in fields(getattr(defaults, s.name))}
        for s in fields(Settings)
    }
    assert data == expected


def test_default_config_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert DEFAULT_CONFIG.is_absolute() and DEFAULT_CONFIG.is_file()
    assert load_settings() == Settings()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"index": {"approximate": "pq"}}, "index.approximate: must be one of ivf, hnsw, not 'pq'"),
        (
            {"aggregate": {"relevance_floor": 0.7}},
            "aggregate.relevance_floor (0.7) must be below aggregate.relevance_full (0.65)",
        ),
        ({"retrieve": {"top_k": 0}}, "retrieve.top_k: must be at least 1"),
        ({"retrieve": {"top_k": 60}}, "retrieve.candidates (50) must be at least retrieve.top_k (60)"),
        ({"retrieve": {"min_similarity": 1.5}}, "retrieve.min_similarity: must be at most 1.0"),
        ({"index": {"keep_versions": 0}}, "index.keep_versions: must be at least 1"),
        ({"index": {"shard_size": -1}}, "index.shard_size: must not be negative"),
    ],
)
def test_values_out_of_range_are_refused_with_their_key(data, message):
    with pytest.raises(ConfigError) as error:
        settings_from_dict(data, origin="my.toml")
    assert message in str(error.value) and str(error.value).startswith("my.toml has 1 problem(s)")


def test_every_problem_is_listed_at_once():
    with pytest.raises(ConfigError, match="has 3 problem"):
        settings_from_dict({"index": {"approximate": "pq", "hnsw_m": "x"}, "nope": {}})


def test_overrides_are_checked_too():
    with pytest.raises(ConfigError, match="relevance_floor"):
        Settings().with_overrides(aggregate={"relevance_full": 0.3})
