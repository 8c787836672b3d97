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
layers = ["town", "grids", "cases", "labels"]   # layer ids: GET /api/layers lists them;
                                              # "labels": the place names
h3 = "cases"                   # optional H3 overlay: population, floating_ratio, cases,
                               # tickets or coverage ("<5" for counts under 5)

[[views]]
title = "12345诉求分布"
layers = ["town", "communities", "tickets", "labels"]

[[views]]
title = "三无小区"
layers = ["town", "communities", "compounds", "labels"]

[[views]]
title = "人口密度"
layers = ["town", "communities", "labels"]
h3 = "population"

[[views]]
title = "网格划分（镇中心社区）"
layers = ["grids", "town", "labels"]
bbox = "116.495,39.745,116.552,39.787"  # optional: west,south,east,north (default: the town)
"""
