"""Exported map snapshots: the print view, its parameters, and headless-Chromium rendering."""
