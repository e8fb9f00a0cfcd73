"""Conferbook: a conferring notebook for writer's workshop."""

__version__ = "0.1.0"
