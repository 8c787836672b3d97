-- numberMatched of an OGC items request: the rows query counted (its json columns are never
-- computed: the planner drops unused outputs of a flattened subquery).
SELECT count(*) FROM ({rows}) AS f {bbox}
