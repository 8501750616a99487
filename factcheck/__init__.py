"""factcheck: offline claim fact-checking and cross-referencing of news articles."""

__version__ = "0.1.0"
