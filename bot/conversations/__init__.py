"""The conversation between a school and a family: staff write, the family answers, each
in their own language, translated on this machine, and nobody learns the other's account."""
