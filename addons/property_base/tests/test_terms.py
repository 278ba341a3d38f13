"""One Chinese word per concept in every zh_CN.po of the suite: an estate is a 小区 (the word
residents and staff both use; 项目 also means a fee item or a project), a unit is a 房屋
(单元 is a building's entrance section in Chinese addresses, 单位 a unit of measure or an
organisation). A translation that uses a banned variant for these concepts fails here."""

import glob
import json
import os
import re

from odoo.tests import TransactionCase, tagged

ADDONS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (concept, banned pattern, the legitimate words that contain it)
BANNED_TERMS = [
    # 项目 is the estate's old word; kept in fee items (收费项目) and the like
    (
        "estate → 小区",
        "项目",
        ("收费项目", "费用项目", "计费项目", "检查项目", "巡检项目", "保养项目", "维保项目"),
    ),
    ("unit → 房屋", "房屋单元", ()),
    ("unit → 房屋", "住宅单元", ()),
    # 单元: a spreadsheet cell (单元格) or a building's entrance section (3号楼1单元)
    ("unit → 房屋", "单元", ("单元格", "单元门")),
    # 单位: units of measure and organisations
    (
        "unit → 房屋",
        "单位",
        (
            "计量单位",
            "计数单位",
            "单位成本",
            "维保单位",
            "检验单位",
            "外包单位",
            "公用单位",
            "施工单位",
            "服务单位",
        ),
    ),
]


def po_entries(path):
    """(msgid, msgstr) of a .po file (enough of the format for Odoo's exports)."""
    entries, current, key = [], None, None
    with open(path, encoding="utf-8") as po:
        for raw in po:
            line = raw.rstrip("\n")
            if line.startswith("msgid "):
                current = {"msgid": json.loads(line[6:]), "msgstr": ""}
                entries.append(current)
                key = "msgid"
            elif line.startswith("msgstr "):
                current["msgstr"] = json.loads(line[7:])
                key = "msgstr"
            elif line.startswith('"') and current is not None and key:
                current[key] += json.loads(line)
            else:
                key = None
    return [(e["msgid"], e["msgstr"]) for e in entries if e["msgid"]]


def banned_uses(msgid, msgstr):
    """The banned variants ``msgstr`` uses, as (concept, word) pairs."""
    hits = []
    for concept, word, allowed in BANNED_TERMS:
        text = msgstr
        for legit in sorted(allowed, key=len, reverse=True):
            text = text.replace(legit, "")
        if word == "单元":
            text = re.sub(r"[0-9一二三四五六七八九十]单元", "", text)  # 3号楼1单元: an entrance
        if word in text and word not in msgid:  # a literal Chinese example in the source stays
            hits.append((concept, word))
    return hits


@tagged("post_install", "-at_install")
class TestChineseTerms(TransactionCase):
    def test_po_files_use_one_word_per_concept(self):
        files = sorted(glob.glob(os.path.join(ADDONS_DIR, "property_*", "i18n", "zh_CN.po")))
        self.assertGreater(len(files), 5, "the suite's translations")
        problems = [
            f"{os.path.basename(os.path.dirname(os.path.dirname(path)))}: {msgid!r} → {msgstr!r} ({concept}: {word})"
            for path in files
            for msgid, msgstr in po_entries(path)
            for concept, word in banned_uses(msgid, msgstr)
        ]
        self.assertFalse(problems, "banned variants:\n" + "\n".join(problems))

    def test_checker_tells_legit_words_from_banned_variants(self):
        self.assertFalse(banned_uses("Fee Item", "收费项目"))
        self.assertFalse(banned_uses("Default unit of measure", "默认计量单位。"))
        self.assertFalse(banned_uses("Errors", "每个错误单元格标红"))
        self.assertFalse(banned_uses("x", "翠湖花园 1号楼 1单元 门禁读卡器"))
        self.assertEqual(banned_uses("Estate", "项目"), [("estate → 小区", "项目")])
        self.assertIn(("unit → 房屋", "房屋单元"), banned_uses("Unit", "房屋单元"))
        self.assertEqual(banned_uses("Unit", "单位"), [("unit → 房屋", "单位")])
        self.assertEqual(banned_uses("Units", "单元"), [("unit → 房屋", "单元")])
