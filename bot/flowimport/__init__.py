"""Bring survey forms written elsewhere (XLSForm: ODK, KoboToolbox) in as flow files."""
