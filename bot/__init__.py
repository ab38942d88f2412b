"""Ouderbrug: a multilingual bot that helps Dutch schools reach the families who need support."""
