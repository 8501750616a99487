"""The README documents every command, and documents no command that does not exist
(as sqlite-utils' test_docs.py does for its CLI reference)."""

from __future__ import annotations

import re

from factcheck.cli import app

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_every_command_is_in_the_readme():
    missing = [name for name in COMMANDS if f"factcheck {name}" not in README]
    assert missing == []


def test_the_readme_names_only_real_commands():
    named = set(re.findall(r"\bfactcheck ([a-z][a-z-]+)\b", README))
    assert named - set(COMMANDS) == set()
