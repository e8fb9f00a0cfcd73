"""Scheduling: calendar views (Django) and the solver (`solver.py`, pure Python, no Django)."""
