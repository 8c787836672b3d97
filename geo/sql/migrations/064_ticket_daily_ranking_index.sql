-- The 12345 ranking reads every grid's hotline days of two windows (issue 16): ~37,000 rollup
-- rows for 30-day windows at 20 towns, about one per ticket at ~1 ticket per grid a day. This
-- covering index gives them by one range per window without touching the table (index-only:
-- no heap rows with their category JSON); the JSON is read for the page's grids only.
CREATE INDEX ticket_daily_hotline_grid_idx ON ticket_daily (day)
    INCLUDE (grid_code, town_code, tickets, responded_in_time, solved, satisfied, rated)
    WHERE source = 'hotline' AND grid_code NOT IN ('', '*');

-- Repeat callers of the page's grids only: each grid's hotline tickets of the window by one
-- index-only range (grid, day), instead of every ticket of the window or every ticket of the
-- grid's year.
CREATE INDEX incidents_hotline_grid_building_idx ON incidents (grid_code, received_at)
    INCLUDE (building_code) WHERE source = 'hotline' AND building_code IS NOT NULL;
