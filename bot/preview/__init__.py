"""The terminal preview: a flow exactly as a parent sees it, typed instead of tapped."""
