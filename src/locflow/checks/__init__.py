"""Checks on catalogs: completeness (gettext's own counting) and, per message, quality."""
