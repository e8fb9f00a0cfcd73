"""Helpers that import no Conferbook app."""
