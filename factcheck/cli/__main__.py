"""`python -m factcheck.cli`: the same as the `factcheck` command."""

from . import main

main()
