"""Languages, gettext catalogs and locale formatting."""
