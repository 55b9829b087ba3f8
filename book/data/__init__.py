"""The project's data: reading, checking and modelling banks, facts, modules
and configuration (no HTML, Sphinx or command line)."""
