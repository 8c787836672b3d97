"""The 接诉即办 loop's UI parts: the map's ticket panel and dispatch, the wall's live list."""
