"""The flow engine: a pure core that takes a session and an input and returns events."""
