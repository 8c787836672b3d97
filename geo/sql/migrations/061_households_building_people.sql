-- The zone proposal's people figures (issue 16): for every building placed in a zone (~25 k at
-- district scale for the whole outbreak) it sums that building's households. With only
-- households_building_idx each probe also visits the heap (~100 k scattered household rows,
-- 690 ms of a 2.3 s proposal in EXPLAIN ANALYZE under load); with the figures it sums in
-- the index itself the probes are index-only (220 ms for the same node).
CREATE INDEX households_building_people_idx ON households (building_code)
    INCLUDE (members, elderly, children, vulnerable);
