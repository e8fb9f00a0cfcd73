"""Printables: PDFs positioned in millimetres from the sheet geometry in lib/sheets.py."""
