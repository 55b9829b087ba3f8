"""Sphinx glue: the extensions listed in _config.yml and the theme stylesheet trimming."""
