"""The Telegram adapter: python-telegram-bot as the transport, updates in and messages out."""
