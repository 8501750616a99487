"""Settings: dataclasses with their defaults and allowed ranges, read from a TOML file.

`factcheck/default.toml` ships in the package and holds every setting with the same default as
the dataclasses here (tests/test_config.py checks both ways); `--config FILE` or
`load_settings(path)` reads another, and CLI options override single values. Every problem in a
settings file is reported at once, each with its key.
"""

from __future__ import annotations

import tomllib
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_CONFIG = Path(__file__).resolve().parent / "default.toml"  # package data, not the working directory


@dataclass(frozen=True)
class EmbedderSettings:
    backend: str = "onnx"
    model: str = "packaged:all-MiniLM-L6-v2"
    batch_size: int = field(default=64, metadata={"min": 1})


@dataclass(frozen=True)
class IndexSettings:
    dir: str = "indexes/default"
    exact_search_max: int = 200_000  # above this many vectors an approximate FAISS index is used
    keep_versions: int = field(default=2, metadata={"min": 1})  # the live version and the one before it
    approximate: str = field(
        default="ivf", metadata={"choices": ("ivf", "hnsw")}
    )  # the approximate index used above exact_search_max
    ivf_nlist: int = 0  # inverted lists; 0 picks from the vector count
    ivf_nprobe: int = field(
        default=64, metadata={"min": 1}
    )  # lists searched per query: recall 0.98 at 1M measured (benchmarks/RESULTS.md)
    hnsw_m: int = field(default=32, metadata={"min": 2})
    hnsw_ef_search: int = field(default=128, metadata={"min": 1})
    build_batch: int = field(
        default=20_000, metadata={"min": 1}
    )  # sentences a build reads, embeds and writes at a time (its memory)
    shard_size: int = 1_000_000  # above this many vectors the search index is split into shards; 0: never


def search_settings(index: IndexSettings) -> dict:
    """The search settings a build records in the index: factcheck.ann.VectorIndex fields, and
    shard_size, the most vectors one search shard holds (0: one unsharded index)."""
    return {
        "exact_threshold": index.exact_search_max,
        "approximate": index.approximate,
        "ivf_nlist": index.ivf_nlist or None,
        "ivf_nprobe": index.ivf_nprobe,
        "hnsw_m": index.hnsw_m,
        "hnsw_ef_search": index.hnsw_ef_search,
        "shard_size": index.shard_size,
    }


@dataclass(frozen=True)
class RetrieveSettings:
    top_k: int = field(default=8, metadata={"min": 1})  # evidence groups kept per claim
    candidates: int = field(default=50, metadata={"min": 1})  # nearest vectors searched before filtering and grouping
    min_similarity: float = field(default=0.45, metadata={"max": 1.0})  # cosine below which a sentence is not evidence
    duplicate_similarity: float = field(
        default=0.95, metadata={"max": 1.0}
    )  # near-identical sentences from different articles are one group
    lexical_weight: float = 0.3  # ranking = cosine + this x share of the claim's content words restated
    lexical_candidates: int = 10  # BM25 matches added to the dense ones (0: dense only)
    lexical_min_overlap: float = 0.5  # a BM25 match under min_similarity must restate this share of the claim
    lexical_max_sentences: int = 500000  # above this many unique sentences, dense retrieval only


@dataclass(frozen=True)
class StanceSettings:
    backend: str = "hybrid"
    model: str = ""
    runtime: str = field(default="onnx", metadata={"choices": ("onnx", "torch")})  # how the learned model runs
    batch_size: int = field(default=32, metadata={"min": 1})


@dataclass(frozen=True)
class AggregateSettings:
    relevance_floor: float = field(default=0.35, metadata={"max": 1.0})  # similarity at which evidence starts to count
    relevance_full: float = field(default=0.65, metadata={"max": 1.0})  # similarity at which it counts fully
    credible: float = field(default=0.2, metadata={"max": 1.0})  # stance probability x relevance needed to count as credible
    split_claims: bool = True  # check a claim of several statements part by part too (claim_parts.py)


@dataclass(frozen=True)
class CrossrefSettings:
    same_claim_similarity: float = field(
        default=0.75, metadata={"max": 1.0}
    )  # a non-conflicting restatement this close joins a claim cluster
    changed_over_time_days: int = 30  # conflicting statements published further apart changed over time
    shown: int = 10  # rows per section of the Markdown/HTML report; the JSON has all


@dataclass(frozen=True)
class ReportSettings:
    dir: str = "reports"
    author: str = "factcheck"  # the organisation named as author of the ClaimReview output
    author_url: str = ""  # its web address, when it has one
    url: str = ""  # where the reports are published; ClaimReview urls are this + #claim-ID ("": the report file)


@dataclass(frozen=True)
class Settings:
    embedder: EmbedderSettings = field(default_factory=EmbedderSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    retrieve: RetrieveSettings = field(default_factory=RetrieveSettings)
    stance: StanceSettings = field(default_factory=StanceSettings)
    aggregate: AggregateSettings = field(default_factory=AggregateSettings)
    crossref: CrossrefSettings = field(default_factory=CrossrefSettings)
    report: ReportSettings = field(default_factory=ReportSettings)

    def with_overrides(self, **sections: dict[str, Any]) -> Settings:
        """Copy with some values replaced, e.g. with_overrides(retrieve={"top_k": 3}); checked like a file."""
        changes = {}
        for section, values in sections.items():
            values = {k: v for k, v in values.items() if v is not None}
            if values:
                changes[section] = replace(getattr(self, section), **values)
        settings = replace(self, **changes)
        errors = check_ranges(settings)
        if errors:
            raise ConfigError(f"settings have {len(errors)} problem(s): " + "; ".join(errors))
        return settings


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from `path`, else from the packaged default.toml."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Settings file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return settings_from_dict(data, origin=str(path))


def settings_from_dict(data: dict[str, Any], *, origin: str = "settings") -> Settings:
    errors: list[str] = []
    sections: dict[str, Any] = {}
    known = {f.name: f for f in fields(Settings)}
    for name, values in data.items():
        if name not in known:
            errors.append(f"[{name}]: unknown section (known: {', '.join(known)})")
            continue
        if not isinstance(values, dict):
            errors.append(f"[{name}]: must be a table")
            continue
        section_type = type(getattr(Settings(), name))
        defaults = section_type()
        kept = {}
        for key, value in values.items():
            if not hasattr(defaults, key):
                errors.append(f"{name}.{key}: unknown key")
                continue
            expected = type(getattr(defaults, key))
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
                errors.append(f"{name}.{key}: expected {expected.__name__}, got {type(value).__name__} ({value!r})")
                continue
            kept[key] = value
        sections[name] = replace(defaults, **kept)
    settings = Settings(**sections)
    errors += check_ranges(settings)
    if errors:
        raise ConfigError(f"{origin} has {len(errors)} problem(s): " + "; ".join(errors))
    return settings


def _out_of_range(spec: Field, value: object) -> str | None:
    """What is wrong with one value by its field's metadata (min, max, choices); None when it fits."""
    meta = spec.metadata
    if "choices" in meta and value not in meta["choices"]:
        return f"must be one of {', '.join(meta['choices'])}, not {value!r}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low = meta.get("min", 0)  # no number here is meaningful below zero
        if value < low:
            return "must not be negative" if low == 0 else f"must be at least {low}"
        if "max" in meta and value > meta["max"]:
            return f"must be at most {meta['max']}"
    return None


def check_ranges(settings: Settings) -> list[str]:
    """Every value outside its range, as `section.key: problem`, and the rules between values."""
    errors = []
    for section in fields(Settings):
        values = getattr(settings, section.name)
        for spec in fields(values):
            problem = _out_of_range(spec, getattr(values, spec.name))
            if problem:
                errors.append(f"{section.name}.{spec.name}: {problem}")
    a = settings.aggregate
    if a.relevance_floor >= a.relevance_full:
        errors.append(
            f"aggregate.relevance_floor ({a.relevance_floor}) must be below aggregate.relevance_full ({a.relevance_full})"
        )
    if settings.retrieve.candidates < settings.retrieve.top_k:
        errors.append(
            f"retrieve.candidates ({settings.retrieve.candidates}) must be at least retrieve.top_k ({settings.retrieve.top_k})"
        )
    return errors
