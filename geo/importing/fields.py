"""What each import KIND holds: its table, fields, types, foreign keys and header synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import GridcmdError

# Length bounds of imported cells (characters): a 50 MB address would otherwise be stored and
# then carried by every viewport, drill-down, search answer and export.
CODE_LIMIT = 64            # code and every *_code
FREE_TEXT_LIMIT = 2000     # other text, JSON (stock) and lists (skills)
VALUE_LIMIT = 100          # numbers, yes/no, times: anything longer cannot be one
TEXT_LIMITS: dict[str, int] = {
    "address": 200, "name": 100, "name_en": 100, "district": 50, "room": 50,
    "phone": 32, "committee_phone": 32, "id_number": 32, "category": 100,
}


class MappingError(GridcmdError):
    """The --mapping file cannot be used."""


@dataclass(frozen=True)
class Field:
    """One column of a kind: its type, whether the file must give it, allowed values."""

    name: str
    type: str = "text"  # text | int | bool | timestamp | json | text[]
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    # Used for every row when the file has no such column (a 12345 hotline export has no
    # 来源 column: all its tickets came from the hotline); the import report names it.
    default: str | None = None
    max_length: int | None = None  # characters; None: the default of its name and type

    @property
    def limit(self) -> int:
        """The most characters a cell of this field may hold (longer cells are refused)."""
        if self.max_length is not None:
            return self.max_length
        if self.name in TEXT_LIMITS:
            return TEXT_LIMITS[self.name]
        if self.name == "code" or self.name.endswith("_code"):
            return CODE_LIMIT
        return FREE_TEXT_LIMIT if self.type in ("text", "json", "text[]") else VALUE_LIMIT


@dataclass(frozen=True)
class Kind:
    """An importable kind of record and the table it lands in."""

    name: str
    table: str
    geometry: str | None  # point | polygon | multipolygon | any | None
    fields: tuple[Field, ...]
    foreign_keys: dict[str, str] = field(default_factory=dict)  # field -> referenced table
    own_code: tuple[str, ...] = ()  # headers that mean this kind's own code (e.g. 网格编码)

    @property
    def field_names(self) -> list[str]:
        """Names of the fields, in table order."""
        return [f.name for f in self.fields]

    @property
    def has_h3(self) -> bool:
        """Whether rows carry an H3 cell (points, and buildings by their centroid)."""
        return self.geometry == "point" or self.table == "buildings"


_CODE = Field("code", required=True)
_TOWN = Field("town_code")  # defaults to the configured town when the file has none
_NONNEG = {"minimum": 0}

KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("towns", "towns", "multipolygon", (
        _CODE, _TOWN, Field("name", required=True), Field("name_en"), Field("district"),
        Field("resident_population", "int", **_NONNEG),
        Field("registered_population", "int", **_NONNEG)), own_code=("乡镇编码", "街乡编码")),
    Kind("communities", "communities", "multipolygon", (
        _CODE, _TOWN, Field("name", required=True),
        Field("kind", required=True, choices=("community", "village")),
        Field("committee_phone")), own_code=("社区编码", "村编码", "社区村编码")),
    Kind("grids", "grids", "polygon", (
        _CODE, _TOWN, Field("name", required=True), Field("community_code", required=True),
        Field("worker_code")), {"community_code": "communities"}, ("网格编码", "网格编号")),
    Kind("compounds", "compounds", "polygon", (
        _CODE, _TOWN, Field("name", required=True), Field("community_code", required=True),
        Field("grid_code"),
        Field("management", required=True, choices=("property", "quasi", "three_no")),
        Field("caretaker_branch", "bool"), Field("households", "int", **_NONNEG)),
        {"community_code": "communities", "grid_code": "grids"}, ("小区编码", "院落编码")),
    Kind("buildings", "buildings", "polygon", (
        _CODE, _TOWN, Field("address", required=True), Field("grid_code", required=True),
        Field("compound_code"),
        Field("use", required=True, choices=("residential", "rental", "mixed", "commercial",
                                             "industrial", "public")),
        Field("floors", "int", required=True, minimum=1),
        Field("rooms", "int", required=True, **_NONNEG)),
        {"grid_code": "grids", "compound_code": "compounds"}, ("楼栋编码", "楼栋编号")),
    Kind("households", "households", None, (
        _CODE, _TOWN, Field("building_code", required=True), Field("room", required=True),
        Field("members", "int", **_NONNEG),  # registered + floating when the file omits it
        Field("registered", "int", required=True, **_NONNEG),
        Field("floating", "int", required=True, **_NONNEG),
        Field("renters", "bool"), Field("elderly", "int", **_NONNEG),
        Field("children", "int", **_NONNEG), Field("vulnerable", "int", **_NONNEG)),
        {"building_code": "buildings"}, ("户编码", "户编号")),
    Kind("persons", "persons", None, (
        _CODE, _TOWN, Field("household_code", required=True), Field("name", required=True),
        Field("id_number"), Field("phone"), Field("registered", "bool", required=True)),
        {"household_code": "households"}, ("人员编码", "人员编号")),
    Kind("units", "units", "point", (
        _CODE, _TOWN, Field("name", required=True),
        Field("kind", required=True, choices=("enterprise", "institution", "office_building",
                                              "shop_five_small", "industrial_park", "other")),
        Field("shop_kind", choices=("eatery", "grocery", "hair_beauty", "small_hotel",
                                    "internet_cafe")),
        Field("employees", "int", **_NONNEG), Field("building_code"), Field("grid_code")),
        {"building_code": "buildings", "grid_code": "grids"}, ("单位编码", "统一社会信用代码")),
    Kind("incidents", "incidents", "point", (
        _CODE, _TOWN, Field("source", required=True, choices=("hotline", "patrol", "device"),
                           default="hotline"),
        Field("category", required=True),
        Field("status", required=True, choices=("received", "dispatched", "accepted",
                                                "in_progress", "submitted", "closed",
                                                "returned")),
        Field("received_at", "timestamp", required=True), Field("responded_at", "timestamp"),
        Field("solved_at", "timestamp"), Field("satisfied", "bool"), Field("address"),
        Field("building_code"), Field("grid_code")),
        {"building_code": "buildings", "grid_code": "grids"}, ("工单编号", "工单号", "诉求编号")),
    Kind("cases", "cases", "point", (
        _CODE, _TOWN,
        Field("category", required=True, choices=("confirmed", "asymptomatic", "close_contact",
                                                  "secondary_contact")),
        Field("reported_at", "timestamp", required=True), Field("released_at", "timestamp"),
        Field("building_code"), Field("grid_code")),
        {"building_code": "buildings", "grid_code": "grids"}, ("病例编号",)),
    Kind("resources", "resources", "point", (
        _CODE, _TOWN,
        Field("kind", required=True, choices=("depot", "clinic", "checkpoint", "team",
                                              "device", "shelter")),
        Field("name", required=True), Field("capacity", "int", **_NONNEG),
        Field("stock", "json"), Field("reach_m", "int", minimum=1), Field("grid_code")),
        {"grid_code": "grids"}, ("资源编码", "资源编号")),
    Kind("staff", "staff", "point", (
        _CODE, _TOWN, Field("name", required=True),
        Field("role", required=True, choices=("grid_worker", "building_head", "street_head",
                                              "party_member", "volunteer")),
        Field("phone"), Field("grid_code"), Field("skills", "text[]"), Field("on_duty", "bool")),
        {"grid_code": "grids"}, ("人员编码", "工号")),
    Kind("context", "context_features", "any", (
        _CODE, _TOWN, Field("kind", required=True,
                            choices=("river", "road", "rail", "park", "water")),
        Field("name"), Field("rank", "int", minimum=1))),
]}

# Header synonyms seen in town ledgers (台账); matched after normalise_header().
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "编号", "代码"),
    "town_code": ("乡镇编码", "街乡编码", "镇编码", "所属乡镇"),
    "name": ("名称", "姓名"),
    "name_en": ("英文名称", "英文名"),
    "district": ("区县", "所属区"),
    "resident_population": ("常住人口",),
    "registered_population": ("户籍人口",),
    "committee_phone": ("村居委会电话", "居委会电话"),
    "community_code": ("社区编码", "村编码", "社区村编码", "所属社区"),
    "grid_code": ("网格编码", "网格编号", "所属网格"),
    "compound_code": ("小区编码", "院落编码", "所属小区"),
    "building_code": ("楼栋编码", "楼栋编号", "所属楼栋"),
    "household_code": ("户编码", "户编号", "所属户"),
    "worker_code": ("网格员编码", "网格员"),
    "kind": ("类型", "单位类型", "资源类型"),
    "management": ("管理类型", "物业类型"),
    "caretaker_branch": ("代管党支部", "代管"),
    "households": ("户数",),
    "address": ("楼栋地址", "地址", "详细地址"),
    "use": ("用途", "房屋用途"),
    "floors": ("层数", "楼层数"),
    "rooms": ("房间数", "间数"),
    "room": ("房间号", "室号", "门牌号"),
    "members": ("户人口", "人口", "人数"),
    "registered": ("户籍人口", "户籍人数", "是否户籍"),
    "floating": ("流动人口", "流动人数"),
    "renters": ("是否出租", "租户"),
    "elderly": ("老人", "老年人"),
    "children": ("儿童", "未成年人"),
    "vulnerable": ("困难群体", "重点人群"),
    "id_number": ("身份证号", "身份证号码"),
    "phone": ("电话", "联系电话", "手机", "手机号"),
    "employees": ("员工数", "从业人员"),
    "shop_kind": ("门店类型", "五小类型"),
    "source": ("来源", "诉求来源"),
    "category": ("诉求类别", "类别", "病例类别"),
    "status": ("状态", "办理状态"),
    "received_at": ("受理时间", "接诉时间"),
    "responded_at": ("响应时间",),
    "solved_at": ("办结时间",),
    "satisfied": ("满意", "是否满意"),
    "reported_at": ("报告时间",),
    "released_at": ("解除时间",),
    "capacity": ("容量",),
    "stock": ("物资", "库存"),
    "reach_m": ("服务半径", "覆盖半径"),
    "role": ("角色", "职务"),
    "skills": ("技能", "专长"),
    "on_duty": ("在岗", "是否在岗"),
    "rank": ("等级",),
}
# Where the geometry comes from in a table file (CSV/XLSX).
GEOMETRY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lng": ("lng", "lon", "long", "longitude", "x", "经度"),
    "lat": ("lat", "latitude", "y", "纬度"),
    "wkt": ("wkt", "geometry", "geom", "the_geom", "几何", "空间信息"),
}
# Chinese cell values for the enumerated fields.
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "kind": {"社区": "community", "村": "village", "企业": "enterprise",
             "事业单位": "institution", "楼宇": "office_building", "五小门店": "shop_five_small",
             "园区": "industrial_park", "其他": "other", "物资库": "depot", "诊所": "clinic",
             "卫生站": "clinic", "卡口": "checkpoint", "队伍": "team", "设备": "device",
             "避难场所": "shelter", "河流": "river", "道路": "road", "铁路": "rail",
             "公园": "park", "水面": "water"},
    "management": {"物业": "property", "有物业": "property", "准物业": "quasi",
                   "三无": "three_no", "三无小区": "three_no"},
    "use": {"住宅": "residential", "出租": "rental", "混合": "mixed", "商业": "commercial",
            "工业": "industrial", "公共": "public"},
    "source": {"热线": "hotline", "12345": "hotline", "巡查": "patrol", "设备": "device"},
    # the 接诉即办 states; older files' responded/solved mean in progress/closed
    "status": {"已受理": "received", "受理": "received", "已响应": "in_progress",
               "响应": "in_progress", "已办结": "closed", "办结": "closed",
               "responded": "in_progress", "solved": "closed", "已派遣": "dispatched",
               "已签收": "accepted", "处置中": "in_progress", "待核查": "submitted",
               "已退回": "returned"},
    "category": {"确诊": "confirmed", "无症状": "asymptomatic", "密接": "close_contact",
                 "次密接": "secondary_contact"},
    "role": {"网格员": "grid_worker", "楼门长": "building_head", "街巷长": "street_head",
             "党员": "party_member", "志愿者": "volunteer"},
    "shop_kind": {"餐饮": "eatery", "小超市": "grocery", "美容美发": "hair_beauty",
                  "小旅馆": "small_hotel", "网吧": "internet_cafe"},
}


def normalise_header(header: object) -> str:
    """Header text as matched: no BOM, no spaces or full-width spaces, lower case."""
    text = str(header).replace("\ufeff", "")
    return re.sub(r"[\s\u3000]+", "", text).strip().lower()


def load_mapping(path: Path | None) -> dict[str, str]:
    """The --mapping YAML ({file header: field}) with normalised headers."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping file {path}: cannot read it ({exc}); write it as YAML, "
                           "one `file header: field` per line") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise MappingError(f"mapping file {path}: expected `file header: field` pairs, "
                           "e.g. `楼栋地址: address`")
    return {normalise_header(k): v.strip() for k, v in data.items()}


def header_map(kind: Kind, headers: list[str], mapping: dict[str, str],
               truncated: bool = False) -> dict[str, str]:
    """{file header: field} for the headers this kind understands (mapping wins)."""
    known = set(kind.field_names) | set(GEOMETRY_SYNONYMS)
    lookup: dict[str, str] = {}
    for name in known:
        for syn in SYNONYMS.get(name, ()) + GEOMETRY_SYNONYMS.get(name, ()) + (name,):
            lookup.setdefault(normalise_header(syn), name)
    for syn in kind.own_code:  # "网格编码" is the grid's own code in a grids file
        lookup[normalise_header(syn)] = "code"
    for header, target in mapping.items():
        if target not in known:
            raise MappingError(f"mapping: `{header}: {target}` names no field of {kind.name}; "
                               f"use one of {', '.join(sorted(known))}")
        lookup[header] = target
    result: dict[str, str] = {}
    for header in headers:
        target = lookup.get(normalise_header(header))
        if target is None and truncated:
            target = _by_prefix(normalise_header(header), lookup)
        if target and target not in result.values():
            result[header] = target
    return result


def _by_prefix(header: str, lookup: dict[str, str]) -> str | None:
    """The field a Shapefile's cut-down name stood for (DBF keeps 10 bytes: 受理时间 → 受理时)."""
    if len(header.encode("utf-8")) < 8:
        return None
    targets = {target for syn, target in lookup.items() if syn.startswith(header)}
    return targets.pop() if len(targets) == 1 else None
