"""The example briefing config printed by `gridcmd export briefing --example` (a starting point
for `daily.toml`); tests check that it loads as it is."""

EXAMPLE = """\
# gridcmd daily briefing: gridcmd export briefing --config daily.toml --out briefing.pdf
# One cover page (title, window, data-as-of time, headline figures), then one map page per
# [[views]] table. Every page is landscape on the same paper.

title = "马驹桥镇每日简报"     # the cover's title
days = 14                      # the window: the last N days ending today …
# since = 2026-11-01           # … or a fixed window (YYYY-MM-DD, until inclusive)
# until = 2026-11-14
paper = "A4"                   # A4 (default) or A3, landscape
lang = "zh"                    # zh or en: titles of the legend, labels, the cover

[[views]]
title = "近两周病例"
layers = ["town", "grids", "cases"]   # layer ids: gridcmd serve → GET /api/layers lists them
h3 = "cases"                   # optional H3 overlay: population, floating_ratio, cases,
                               # tickets or coverage ("<5" for counts under 5)

[[views]]
title = "12345诉求分布"
layers = ["town", "communities", "tickets"]

[[views]]
title = "三无小区"
layers = ["town", "communities", "compounds"]

[[views]]
title = "人口密度"
layers = ["town", "communities"]
h3 = "population"

[[views]]
title = "网格划分（镇中心）"
layers = ["grids", "town"]
bbox = "116.50,39.72,116.62,39.80"    # optional: west,south,east,north (default: the town)
"""
