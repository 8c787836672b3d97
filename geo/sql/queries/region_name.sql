-- Name of a region for the breadcrumb; for a community also its town. Parameters: kind, code.
SELECT name, NULL::text AS town_code FROM grids WHERE %(kind)s = 'grid' AND code = %(code)s
UNION ALL
SELECT name, NULL FROM compounds WHERE %(kind)s = 'compound' AND code = %(code)s
UNION ALL
SELECT name, town_code FROM communities WHERE %(kind)s = 'community' AND code = %(code)s
UNION ALL
SELECT name, NULL FROM towns WHERE %(kind)s = 'town' AND code = %(code)s
