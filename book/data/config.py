"""The book's settings from _config.yml, as one typed object for code outside
Sphinx: the interface language and the translations built beside it, the title and author on packs and exports,
the pass mark of the final check. Checked with line numbers by
book/validate.py; here a missing or broken file means defaults, because
every command validates first. Read through book/data/yamlfile.py like every
YAML file, so a key given twice is never silently dropped."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from book.data.errors import BookError
from book.data.paths import project
from book.data.yamlfile import load

DEFAULT_TITLE = "Kampot training book"


class Settings(BaseModel):
    """What the book's own code reads from _config.yml (Jupyter Book's other
    keys are Sphinx's business and are ignored here)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    title: str = Field(min_length=1)
    author: str = ""
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
    # The share of the final check's learning points a certificate needs.
    pass_mark: float = Field(0.8, gt=0, le=1)
    # The other languages the book is built in, each beside the main one
    # (`km` -> _build/html/km/), from the catalogues in locale/<lang>/.
    translations: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]] = []

    @model_validator(mode="after")
    def _other_languages(self) -> Settings:
        if self.language in self.translations or len(set(self.translations)) < len(self.translations):
            raise ValueError("list each translation once, and not the book's own language")
        return self


DEFAULTS = Settings(title=DEFAULT_TITLE)


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int] | None) -> Settings:
    try:
        data, _lines = load(path, path.parent)
        return Settings.model_validate(data)
    except (BookError, ValidationError):
        return DEFAULTS


def settings() -> Settings:
    """The settings, read again only when the file changes: every interface
    string asks for the language, and parsing the file each time made
    rendering a bank of 130 questions take seconds."""
    path = project().config
    try:
        info = path.stat()
        stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    return _read(path, stamp)
