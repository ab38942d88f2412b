"""Messages to many families of a school: each family once, in its own language."""
