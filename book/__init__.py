"""The Python package behind the Kampot curriculum book.

Quiz rendering (static HTML and ipywidgets), the fact registry, checks of
every input, the build wrapper, workshop packs, and `python -m book`.
"""
__version__ = "0.1.0"
