"""SQLite for Conferbook: Django's backend, with one process's writers taking turns (base.py)."""
