"""The `ouderbrug` subcommands, one module per group; each has `register` and `run`."""
