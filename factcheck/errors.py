"""Errors a user can act on. Only the cli package turns them into a red line and an exit code."""


class FactcheckError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class ConfigError(FactcheckError):
    """A settings file or option is invalid."""


class InputError(FactcheckError):
    """An input path, claim or file cannot be used."""


class NoIndexError(FactcheckError):
    """There is no index where one was expected."""


class IndexMismatchError(FactcheckError):
    """The index was built with another embedder or format."""


class IndexDamagedError(FactcheckError):
    """An index file is missing, truncated or corrupted."""


class IndexLockedError(FactcheckError):
    """Another process is writing the same index."""


class ModelError(FactcheckError):
    """A model could not be found or loaded."""


class MissingDependencyError(FactcheckError):
    """A package factcheck needs is not installed; the message names the pip command."""


class DatasetError(FactcheckError):
    """An evaluation dataset is missing or malformed."""
