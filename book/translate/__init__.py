"""Translation catalogues: what a reader sees, in gettext .po files under locale/."""
