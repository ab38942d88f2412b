"""School digests: which families a school gets, rendered for Telegram, e-mail and CSV."""
