"""locflow: articles to gettext catalogs, translation drafts, checks and localized builds."""

__version__ = "0.1.0"
