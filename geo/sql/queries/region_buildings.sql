-- Codes of the buildings inside a region (region_members.sql), as one array.
-- Parameters: those of region_members.sql ({{}} is an empty array: the file is composed).
SELECT coalesce(array_agg(m.code), '{{}}') FROM ({members}) m
