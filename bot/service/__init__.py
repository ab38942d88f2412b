"""The service: load a session, run the engine, store the result, queue the replies."""
