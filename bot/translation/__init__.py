"""Machine translation on this machine (Argos Translate), behind a small port."""
