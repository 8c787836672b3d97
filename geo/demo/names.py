"""Word lists for the synthetic town: place names, personal names, ID-number area codes."""

from __future__ import annotations

import numpy as np

MAJUQIAO_COMMUNITIES = [
    "新海南里社区", "新海北里社区", "新海祥和社区", "新海家园社区", "金驹家园社区",
    "香雪兰溪社区", "景盛社区", "兴贸社区", "驹桥嘉园社区", "富力湾社区",
]

# The first 34 are Majuqiao's real administrative villages (DOMAIN.md); the rest are invented.
MAJUQIAO_VILLAGES = [
    "一街村", "二街村", "三街村", "北门口村", "大葛庄村", "东店村", "西店村", "辛屯村",
    "大白村", "小白村", "马村", "姚村", "张各庄村", "古庄村", "杨秀店村", "周营村",
    "小张湾村", "房辛店村", "张村", "郭村", "柴务村", "大周易村", "小周易村", "史村",
    "前银子村", "后银子村", "驸马庄村", "南堤村", "大杜社村", "团瓢庄村", "前堰上村",
    "后堰上村", "姚辛庄村", "陈各庄村", "小杜社村", "西田阳村", "东田阳村", "兴武林村",
    "前寨府村", "后寨府村", "金各庄村", "小周营村", "田家府村", "六合村", "召里村",
    "南门口村", "西马各庄村", "大柳树村", "东马各庄村", "桥东村",
]

# (town_code, name, name_en) of the other towns in the district-scale demo (synthetic copies).
OTHER_TOWNS = [
    ("110112101", "宋庄镇", "Songzhuang"), ("110112102", "张家湾镇", "Zhangjiawan"),
    ("110112103", "漷县镇", "Huoxian"), ("110112105", "永乐店镇", "Yongledian"),
    ("110112106", "潞城镇", "Lucheng"), ("110112107", "西集镇", "Xiji"),
    ("110112108", "台湖镇", "Taihu"), ("110112109", "于家务乡", "Yujiawu"),
    ("110112110", "梨园镇", "Liyuan"),
]
# Towns beyond Tongzhou's (city scale): numbered, in a fictional area code 110199 so they can
# never collide with a real town code.
SYNTHETIC_AREA = "110199"


def synthetic_towns(n: int) -> list[tuple[str, str, str]]:
    """`n` numbered synthetic towns: (code, Chinese name, English name)."""
    return [(f"{SYNTHETIC_AREA}{k:03d}", f"合成{k}号镇", f"Synthetic {k}") for k in range(1, n + 1)]


_PLACE_HEADS = list("东西南北前后大小上下新老高")
_PLACE_CORES = list("杨柳王李张刘马赵孙周吴郑钱胡郭何田沙石桑榆枣梨")
_PLACE_TAILS = ["庄", "营", "店", "屯", "各庄", "家务", "辛庄", "堡", "坨", "垡"]
_COMMUNITY_WORDS = ["和园", "家园", "嘉园", "新苑", "花园", "雅居", "景园", "华庭", "丽景", "悦府",
                    "兰亭", "锦苑"]

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭"
                "吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦")
# Roughly Zipf-like: the first surnames are far more common, as in the census.
SURNAME_WEIGHTS = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.9
SURNAME_WEIGHTS /= SURNAME_WEIGHTS.sum()
GIVEN_CHARS = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文斌宇浩"
                   "凯鑫佳欣雨婷子轩梓涵一诺晨阳博文思彤俊峰海燕春生福德淑珍玉兰立新永庆")

# 6-digit area codes: Tongzhou for registered residents, the usual home provinces of Beijing's
# floating population (Hebei, Henan, Shandong, Anhui, the north-east, Sichuan …) for the rest.
REGISTERED_AREA = "110112"
FLOATING_AREAS = ["130602", "130402", "131002", "130203", "410102", "411302", "410522",
                  "370102", "371302", "340102", "341202", "230102", "220102", "510104",
                  "140105", "150102", "120104", "420102", "430102", "210102"]
FLOATING_AREA_WEIGHTS = np.array([9, 6, 8, 4, 7, 5, 4, 6, 4, 5, 4, 4, 3, 4, 3, 2, 3, 3, 3, 3],
                                 dtype=float)
FLOATING_AREA_WEIGHTS /= FLOATING_AREA_WEIGHTS.sum()
PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                  "152", "155", "156", "158", "159", "176", "177", "180", "185", "186", "187",
                  "188", "189", "199"]

SKILLS = ["测温", "消杀", "核酸采样辅助", "驾驶", "物资配送", "心理疏导", "医护", "电工",
          "信息录入", "翻译", "法律咨询", "维修"]


def place_names(rng: np.random.Generator, n: int, suffix: str, taken: set[str]) -> list[str]:
    """n distinct invented place names ending in `suffix` (村 or 社区), avoiding `taken`."""
    names: list[str] = []
    while len(names) < n:
        if suffix == "社区":
            name = (rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_CORES)
                    + rng.choice(_COMMUNITY_WORDS) + suffix)
        else:
            name = rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_CORES) + rng.choice(_PLACE_TAILS)
            name += suffix
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def person_names(rng: np.random.Generator, surnames: np.ndarray) -> np.ndarray:
    """Full names for people whose surname indices are given: one or two given characters."""
    n = len(surnames)
    chars = np.array(GIVEN_CHARS, dtype=object)
    first = chars[rng.integers(0, len(chars), n)]
    second = chars[rng.integers(0, len(chars), n)]
    two = rng.random(n) < 0.7
    given = np.where(two, first + second, first)
    return np.array(SURNAMES, dtype=object)[surnames] + given
