"""Questions read aloud: recorded or synthesized speech, encoded as Telegram's voice notes."""
