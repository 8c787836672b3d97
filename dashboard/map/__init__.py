"""The command map page and its parts (panel, KPI bar, search, time bar, H3)."""
