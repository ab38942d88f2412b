"""The repositories: each module holds what a kind of stored thing offers (a Protocol,
which fakes in tests also fulfil) and its SQLAlchemy implementation."""
