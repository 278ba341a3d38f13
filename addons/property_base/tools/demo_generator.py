"""Deterministic generator of a realistic Chinese property company.

The demo data (about 600 units) and the benchmarks (10,000 units and more) both use it: the
same seed always gives the same estates, buildings, units and residents."""

import random
from datetime import date, timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建文斌宇浩凯欣怡婷雪梅琳晨曦子涵梓轩"
    "一诺思远嘉怡雨桐浩然俊杰志强秀英桂芳国华德明晓东海燕红梅春生丽华建国永红"
)
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "186",
    "187",
    "188",
    "189",
    "199",
)
REGION_CODES = ("110105", "110108", "310104", "310115", "320102", "330106", "440106", "440305", "510107")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# The demo company: two estates, twelve buildings, 600 units.
DEMO_SPEC = [
    {
        "code": "CH",
        "name": "翠湖花园",
        "city": "杭州市",
        "street": "西湖区文三路 188 号",
        "zip": "310012",
        "latitude": 30.2793,
        "longitude": 120.1270,
        "buildings": [
            *[
                {
                    "code": str(i),
                    "name": f"{i}号楼",
                    "use_type": "residential",
                    "floors": 11,
                    "per_floor": 4,
                    "elevators": 2,
                    "unit_type": "residential",
                }
                for i in range(1, 7)
            ],
            {
                "code": "P",
                "name": "地下车库",
                "use_type": "parking",
                "floors": 1,
                "below": 1,
                "per_floor": 60,
                "elevators": 0,
                "unit_type": "parking",
                "floor": -1,
            },
        ],
    },
    {
        "code": "JY",
        "name": "锦悦府",
        "city": "杭州市",
        "street": "滨江区江南大道 999 号",
        "zip": "310051",
        "latitude": 30.2085,
        "longitude": 120.2110,
        "buildings": [
            *[
                {
                    "code": str(i),
                    "name": f"{i}幢",
                    "use_type": "residential",
                    "floors": 12,
                    "per_floor": 4,
                    "elevators": 2,
                    "unit_type": "residential",
                }
                for i in range(1, 5)
            ],
            {
                "code": "S",
                "name": "商业街",
                "use_type": "commercial",
                "floors": 2,
                "per_floor": 12,
                "elevators": 0,
                "unit_type": "commercial",
            },
            # the storage building gets its 60 rooms on one basement floor
            {
                "code": "C",
                "name": "储藏室",
                "use_type": "mixed",
                "floors": 1,
                "below": 1,
                "per_floor": 60,
                "elevators": 0,
                "unit_type": "storage",
                "floor": -1,
            },
        ],
    },
]


def id_card(rng, birth):
    body = f"{rng.choice(REGION_CODES)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    check = ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
    return body + check


def unit_area(rng, unit_type):
    gross = {
        "residential": rng.choice((68.5, 89.0, 89.0, 105.3, 118.6, 128.0, 143.9)),
        "commercial": rng.choice((45.0, 60.0, 88.0, 120.0)),
        "office": rng.choice((80.0, 150.0, 220.0)),
        "parking": 13.5,
        "storage": rng.choice((6.0, 8.0, 10.0)),
    }[unit_type]
    ratio = {"parking": 1.0, "storage": 1.0}.get(unit_type, rng.uniform(0.76, 0.84))
    return gross, round(gross * ratio, 2)


def scaled_spec(n_units):
    """Estates of residential towers (18 floors x 4 units) until ``n_units`` are reached."""
    spec, made, e = [], 0, 0
    while made < n_units:
        e += 1
        buildings = []
        for b in range(1, 21):
            if made >= n_units:
                break
            floors = min(18, max(1, -(-(n_units - made) // 4)))
            buildings.append(
                {
                    "code": str(b),
                    "name": f"{b}号楼",
                    "use_type": "residential",
                    "floors": floors,
                    "per_floor": 4,
                    "elevators": 2,
                    "unit_type": "residential",
                    "limit": n_units - made,
                }
            )
            made += min(floors * 4, n_units - made)
        spec.append(
            {
                "code": f"E{e:02d}",
                "name": f"测试小区{e:02d}",
                "city": "杭州市",
                "street": f"测试路 {e} 号",
                "zip": "310000",
                "latitude": 30.25,
                "longitude": 120.16,
                "buildings": buildings,
            }
        )
    return spec


def generate(spec=None, seed=20261125, today=date(2026, 1, 1)):
    """Return plain dicts: estates, buildings, units and residents (with their occupancies).

    Units reference buildings, and residents reference units, by code, as the Excel
    templates do."""
    rng = random.Random(seed)
    spec = spec or DEMO_SPEC
    estates, buildings, units, residents = [], [], [], []
    for est in spec:
        estates.append(
            {k: est[k] for k in ("code", "name", "city", "street", "zip", "latitude", "longitude")}
        )
        total_area = 0.0
        for b in est["buildings"]:
            buildings.append(
                {
                    "estate_code": est["code"],
                    "code": b["code"],
                    "name": b["name"],
                    "use_type": b["use_type"],
                    "floors_above": b["floors"],
                    "floors_below": b.get("below", 0),
                    "elevator_count": b["elevators"],
                }
            )
            floors = [b["floor"]] if "floor" in b else range(1, b["floors"] + 1)
            count = 0
            for floor in floors:
                for pos in range(1, b["per_floor"] + 1):
                    if count >= b.get("limit", 10**9):
                        break
                    count += 1
                    if b["unit_type"] in ("parking", "storage"):
                        number = f"{b['code']}{pos:03d}"
                    else:
                        number = f"{floor:02d}{pos:02d}"
                    gross, inner = unit_area(rng, b["unit_type"])
                    total_area += gross
                    handover = today - timedelta(days=rng.randrange(300, 3000))
                    units.append(
                        {
                            "building_code": f"{est['code']}-{b['code']}",
                            "floor": floor,
                            "number": number,
                            "unit_type": b["unit_type"],
                            "gross_area": gross,
                            "inner_area": inner,
                            "handover_date": handover,
                        }
                    )
        estates[-1]["total_area"] = round(total_area * 1.6, 2)

    seen = set()
    for unit in units:
        code = f"{unit['building_code']}-{unit['number']}"
        sold = rng.random() < (0.9 if unit["unit_type"] == "residential" else 0.7)
        if not sold:
            unit["status"] = "vacant"
            continue
        let = unit["unit_type"] in ("residential", "commercial") and rng.random() < 0.15
        unit["status"] = "let" if let else ("renovating" if rng.random() < 0.03 else "occupied")
        start = unit["handover_date"]
        surname = rng.choice(SURNAMES)
        owner = _person(rng, surname, seen)
        co_owner = rng.random() < 0.25 and unit["unit_type"] == "residential"
        residents.append(
            {
                **owner,
                "unit_code": code,
                "role": "owner",
                "share": 50.0 if co_owner else 100.0,
                "date_start": start,
                "is_primary_contact": not let,
                "is_payer": False,
            }
        )
        if co_owner:
            residents.append(
                {
                    **_person(rng, rng.choice(SURNAMES), seen),
                    "unit_code": code,
                    "role": "co_owner",
                    "share": 50.0,
                    "date_start": start,
                    "is_primary_contact": False,
                    "is_payer": False,
                }
            )
        if let:
            residents.append(
                {
                    **_person(rng, rng.choice(SURNAMES), seen),
                    "unit_code": code,
                    "role": "tenant",
                    "share": 0.0,
                    "date_start": start + timedelta(days=rng.randrange(30, 400)),
                    "is_primary_contact": True,
                    "is_payer": rng.random() < 0.6,
                }
            )
        elif unit["unit_type"] == "residential":
            for _i in range(rng.choice((0, 1, 1, 2))):
                residents.append(
                    {
                        **_person(rng, surname, seen),
                        "unit_code": code,
                        "role": "family",
                        "share": 0.0,
                        "date_start": start,
                        "is_primary_contact": False,
                        "is_payer": False,
                    }
                )
    return {"estates": estates, "buildings": buildings, "units": units, "residents": residents}


def _person(rng, surname, seen):
    """A person with an ID-card number and a mobile number no one else in ``seen`` has."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    while True:
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
        card = id_card(rng, birth)
        mobile = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if card not in seen and mobile not in seen:
            seen.update((card, mobile))
            return {"name": surname + given, "mobile": mobile, "id_card_number": card}


def load(env, data, xmlid_prefix=None):
    """Create the generated records in batches; return the created estates.

    ``xmlid_prefix`` gives estates and buildings external ids (demo data)."""
    Estate, Building, Unit = env["property.estate"], env["property.building"], env["property.unit"]
    china = env.ref("base.cn", raise_if_not_found=False)
    zhejiang = env.ref("base.state_cn_ZJ", raise_if_not_found=False)
    estates = Estate.create(
        [
            {**e, "country_id": china.id if china else False, "state_id": zhejiang.id if zhejiang else False}
            for e in data["estates"]
        ]
    )
    estate_by_code = {e.code: e for e in estates}
    buildings = Building.create(
        [
            {
                **{k: v for k, v in b.items() if k != "estate_code"},
                "estate_id": estate_by_code[b["estate_code"]].id,
            }
            for b in data["buildings"]
        ]
    )
    building_by_code = {f"{b.estate_id.code}-{b.code}": b for b in buildings}
    units = Unit.create(
        [
            {
                **{k: v for k, v in u.items() if k != "building_code"},
                "building_id": building_by_code[u["building_code"]].id,
            }
            for u in data["units"]
        ]
    )
    unit_by_code = {u.code: u for u in units}
    partners = env["res.partner"].create(
        [
            {
                "name": r["name"],
                "mobile": r["mobile"],
                "id_card_number": r["id_card_number"],
                "lang": "zh_CN" if env["res.lang"]._lang_get("zh_CN") else env.lang,
            }
            for r in data["residents"]
        ]
    )
    env["property.occupancy"].create(
        [
            {
                "unit_id": unit_by_code[r["unit_code"]].id,
                "partner_id": partner.id,
                "role": r["role"],
                "share": r["share"],
                "date_start": r["date_start"],
                "is_primary_contact": r["is_primary_contact"],
                "is_payer": r["is_payer"],
            }
            for r, partner in zip(data["residents"], partners, strict=True)
        ]
    )
    if xmlid_prefix:
        env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"{xmlid_prefix}estate_{e.code.lower()}_demo", "record": e, "noupdate": True}
                for e in estates
            ]
            + [
                {
                    "xml_id": f"{xmlid_prefix}building_{b.estate_id.code.lower()}_{b.code.lower()}_demo",
                    "record": b,
                    "noupdate": True,
                }
                for b in buildings
            ]
        )
    return estates
