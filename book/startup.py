"""Starting the book's processes without rfc3987_syntax's import cost.

jsonschema, which nbformat (every command reads notebooks) and jupyter-book
(its configuration schema) import, imports rfc3987_syntax when it is
installed (jupyter-events pulls it in), and that module compiles its Earley
parsers on import: 1 to 2 s of CPU for each process
(python-jsonschema/jsonschema#1428). It only checks the `iri` and
`iri-reference` formats, which neither the notebook schemas nor jupyter-book's
use; without it jsonschema leaves those two formats unchecked.
"""
from __future__ import annotations

import sys

_SKIP = "import sys; sys.modules.setdefault('rfc3987_syntax', None)"

# `python -c JUPYTER_BOOK build ...`: jupyter-book's own command line (what its
# `jupyter-book` script runs), started without that import.
JUPYTER_BOOK = f"{_SKIP}; from jupyter_book.cli.main import main; sys.exit(main())"


def skip_slow_iri_checks() -> None:
    """Call before anything imports jsonschema (a process that has it keeps it)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
