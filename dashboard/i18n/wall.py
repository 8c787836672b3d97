"""Strings of the wall display (zh + en)."""

STRINGS: dict[str, dict[str, str]] = {
    # Wall display (dashboard/wall/).
    "wall.title": {"zh": "马驹桥镇 指挥大厅", "en": "Majuqiao Town · Command hall"},
    "wall.as_of": {"zh": "数据截至 {time}", "en": "Data as of {time}"},
    "wall.stale": {"zh": "数据未更新 · 自 {since} 起", "en": "Data not updated since {since}"},
    "wall.ticker": {"zh": "最新动态", "en": "Latest"},
    "wall.case": {"zh": "病例", "en": "Case"},
    "wall.overdue": {"zh": "超时", "en": "Overdue"},
    "wall.calm": {"zh": "暂无新动态", "en": "Nothing new"},
    "wall.last_days": {"zh": "{title}（近{days}天）", "en": "{title} (last {days} days)"},
    "wall.view.overview": {"zh": "全镇概览", "en": "Town overview"},
    "wall.view.hottest_grid": {"zh": "重点网格", "en": "Hottest grid"},
    # The wall's compact legend (dashboard/wall/legend.py).
    "wall.legend.title": {"zh": "图例", "en": "Legend"},
    "wall.legend.overdue": {"zh": "超期工单（12345）", "en": "Overdue 12345 tickets"},
    "wall.legend.cases": {"zh": "病例（近{days}天）", "en": "Cases (last {days} days)"},
    "wall.legend.hottest": {"zh": "重点网格", "en": "Hottest grid"},
    "wall.legend.town": {"zh": "镇界", "en": "Town boundary"},
    "wall.legend.river": {"zh": "河流", "en": "River"},
    "wall.legend.road": {"zh": "道路", "en": "Road"},
    "wall.legend.areas": {"zh": "病例数 · 按社区/村", "en": "Cases per community/village"},
}
