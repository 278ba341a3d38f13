"""Text normalisation and a symptom lexicon for Chinese request texts.

Residents write the same thing many ways: 厕所 / 洗手间 / 卫生间, 坐便器 / 马桶, typed slips such
as 插坐 or 跳匝, dialect (冇得水, 莫得电, 屋头), WeChat stickers ([捂脸]) and emoji. The starter
set cannot hold every variant, so before the character n-grams see a text it is normalised:

1. NFKC (full-width letters and digits to half-width), lower case, a few traditional
   characters to simplified;
2. variants and typing slips to one canonical spelling (``SYNONYMS``);
3. digits to ``0``, stickers, emoji and punctuation to spaces (house numbers and "!!!" say
   nothing about the category);
4. every symptom word of ``LEXICON`` found in the text adds its category's marker character,
   so that a word the training sentences never used next to this phrasing still points to
   its category. Longest match first: 电梯 is an elevator word, not 电 (electrical); 楼梯 is
   consumed as neutral so that 梯 does not count as an elevator;
5. urgency words (救命, 冒烟, "!!!") and unhurried ones (不急, 请问) add a marker each, which
   the priority model reads (punctuation is gone after step 3).

The lexicon was written from the trade's vocabulary (what a property front desk hears), not
from the evaluation set in ``tests/data/independent_requests.csv``, which is never used for
training. Plain Python, importable without Odoo.
"""

import re
import unicodedata

# a marker character per category: never typed by residents (stripped from the input first)
MARKERS = {
    "plumbing": "\u2460",
    "electrical": "\u2461",
    "elevator": "\u2462",
    "doors_locks": "\u2463",
    "cleaning": "\u2464",
    "greening": "\u2465",
    "noise_complaint": "\u2466",
    "other": "\u2467",
    "fire_safety": "\u246a",
}
URGENT_MARKER = "\u2468"
CALM_MARKER = "\u2469"
_MARKER_CHARS = "".join(MARKERS.values()) + URGENT_MARKER + CALM_MARKER

TRADITIONAL = str.maketrans(
    "電門鎖廁燈壞樓臺鑰閘漏園綠噪髒垃聲動開關錶鐘響頂蟲執樹葉蓋間樑窗簾",
    "电门锁厕灯坏楼台钥闸漏园绿噪脏垃声动开关表钟响顶虫执树叶盖间梁窗帘",
)

# variant → canonical spelling (typing slips, dialect, colloquial names)
SYNONYMS = {
    # places and fittings
    "厕所": "卫生间",
    "洗手间": "卫生间",
    "茅房": "卫生间",
    "茅厕": "卫生间",
    "坐便器": "马桶",
    "坐便": "马桶",
    "坐厕": "马桶",
    "抽水马桶": "马桶",
    "马通": "马桶",
    "马筒": "马桶",
    "水笼头": "水龙头",
    "水龙头": "水龙头",
    "龙头": "水龙头",
    "下水到": "下水道",
    "下水管道": "下水道",
    "喷头": "花洒",
    "插坐": "插座",
    "查座": "插座",
    "插排": "插座",
    "跳匝": "跳闸",
    "跳掉": "跳闸",
    "电题": "电梯",
    "电悌": "电梯",
    "电体": "电梯",
    "门进": "门禁",
    "门紧": "门禁",
    "拉圾": "垃圾",
    "拉极": "垃圾",
    "垃级": "垃圾",
    "辣鸡": "垃圾",
    "燥音": "噪音",
    "躁音": "噪音",
    "投述": "投诉",
    "绿华": "绿化",
    "绿花": "绿化",
    "小强": "蟑螂",
    "耗子": "老鼠",
    "露水": "漏水",
    "楼到": "楼道",
    "休理": "修理",
    # dialect and chat shorthand
    "冇得": "没有",
    "冇": "没有",
    "莫得": "没有",
    "没得": "没有",
    "木有": "没有",
    "屋头": "家里",
    "屋里": "家里",
    "咗": "了",
    "啥子": "什么",
    "啥": "什么",
    "咋": "怎么",
    "点解": "为什么",
    "成日": "天天",
    "黑灯瞎火": "灯不亮",
    "瞎了": "不亮",
    "不亮了": "不亮",
}

# symptom words per category (longest match wins; NEUTRAL words are consumed without a marker)
LEXICON = {
    "plumbing": (
        "水管 管子 管道 下水道 下水 排水 地漏 马桶 便池 蹲坑 水龙头 水槽 洗菜盆 洗碗池 洗手盆 面盆 "
        "洗脸池 台盆 拖把池 花洒 淋浴 浴缸 热水 漏水 渗水 滴水 冒水 返水 溢水 喷水 淹 水漫 停水 断水 "
        "没有水 没水 水压 水表 阀门 总阀 角阀 三角阀 暖气 地暖 分水器 不通 疏通 水箱 自来水 污水 "
        "水质 水发黄 反味 返味 净水器 立管 冻裂 爆管 水费"
    ),
    "electrical": (
        "没有电 没电 停电 断电 来电 跳闸 空开 空气开关 漏保 漏电 总闸 电闸 电箱 配电 电表 电卡 插座 "
        "插头 开关 灯 灯泡 灯管 灯座 路灯 声控 感应灯 照明 电线 线路 短路 火花 电压 浴霸 排气扇 "
        "换气扇 筒灯 吸顶灯 吊灯 电工 充电桩 充电口 麻手 电流 烧焦 焦糊"
    ),
    "elevator": ("电梯 轿厢 扶梯 货梯 客梯 困人 被困 关在里面 平层 超重 超载 外呼 电梯井 井道 坐梯 梯子"),
    "doors_locks": (
        "门锁 锁 锁芯 锁舌 锁眼 锁扣 钥匙 门禁 刷卡 门卡 刷脸 人脸识别 道闸 抬杆 闸机 防盗门 入户门 "
        "单元门 大门 门把手 把手 合页 闭门器 门铃 对讲 猫眼 窗户 窗子 窗 纱窗 推拉门 卷帘门 卷闸门 "
        "指纹锁 密码锁 智能锁 开不了门 打不开门 门打不开 进不去 反锁 门吸 门框 消防门 防火门 铁门 "
        "开门 关不上 关不严"
    ),
    "cleaning": (
        "脏 垃圾 保洁 打扫 清扫 扫地 拖地 擦 灰尘 积灰 油污 污渍 尿 屎 粪 吐 呕吐 臭 苍蝇 蚊子 "
        "蟑螂 老鼠 白蚁 跳蚤 消杀 杀虫 除四害 发霉 霉 小广告 乱涂 涂鸦 烟头 纸屑 杂物 清运 化粪池 "
        "脏水 黏 腥"
    ),
    "greening": (
        "树 树枝 树叶 落叶 枯枝 断枝 草 草坪 草地 草皮 杂草 野草 割草 除草 剪草 修剪 绿化 绿地 绿篱 "
        "灌木 花坛 花池 花园 花草 园林 浇水 打药 虫子 毛毛虫 马蜂 蜂窝 蛇 杨絮 柳絮 杨树毛 竹 树根 "
        "树苗 苗木 水草 蚂蚁"
    ),
    "noise_complaint": (
        "吵 噪音 扰民 装修 砸墙 电钻 电锯 施工 打桩 跳绳 广场舞 音响 音箱 音乐 唱歌 ktv 喇叭 狗叫 "
        "狗 嚎 投诉 态度 占用 占了 乱停 消防通道 高空 往下扔 往下泼 抛物 群租 抽烟 吸烟 油烟 麻将 "
        "鞭炮 烟花 鸽子 遛狗 拴绳 牵绳 私搭 搭了 违建 推销 陌生人 可疑 邻居 隔壁 楼上 楼下 扰 "
        "不办事 不管事 乱收费 不回"
    ),
    "other": (
        "物业费 交费 缴费 停车费 车位 月卡 证明 手续 办理 咨询 请问 快递 快递柜 监控 摄像头 健身 "
        "秋千 滑梯 游乐 蹦床 篮球架 座椅 长椅 宣传栏 公告 燃气 煤气 天然气 发票 活动 业委会 业主大会 "
        "宽带 网络 wifi 减速带 地锁 出入证 搬家 捡到 丢了 凉亭 房产证 挂号信 信件 包裹 过户"
    ),
    "fire_safety": (
        "烟感 烟雾 感烟 探测器 灭火器 喷淋 火警 火灾 着火 起火 失火 冒烟 浓烟 黑烟 火苗 火星 应急灯 "
        "应急照明 疏散 安全出口 防火卷帘 消防主机 消控 报警按钮 警铃 烧纸 防火检查 消防检查"
    ),
}
URGENT = "救命 危险 冒烟 着火 起火 火花 火光 爆了 爆裂 喷水 淹了 被困 困人 快来 赶紧 马上 立刻 紧急 急 人命"
CALM = "不急 不着急 有空 方便的时候 顺便 有时间 想问 请问 咨询 想了解 想办 怎么办理"
# consumed without a marker: words that contain a symptom word but mean something else
NEUTRAL = "楼梯 梯口 楼道灯 门口 门厅 窗台 电话 电动车 充电器 开关门 草莓 树立 花钱 扫码 门卫"
# overrides: these belong elsewhere than their parts suggest
EXTRA = {
    "楼道灯": "electrical",
    "电梯灯": "elevator",
    "电梯门": "elevator",
    "电梯按钮": "elevator",
    "充电插座": "electrical",
    "快递柜门": "other",
    "消防栓": "plumbing",
    "电动车充电": "noise_complaint",
    "空调水": "noise_complaint",
    "空调外机": "noise_complaint",
}


def _alternation(words):
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_SYNONYM_RE = _alternation(SYNONYMS)
_TERMS = {w: c for c, words in LEXICON.items() for w in words.split()}
_TERMS.update({w: None for w in NEUTRAL.split() if w not in EXTRA})
_TERMS.update(EXTRA)
_TERM_RE = _alternation(_TERMS)
_URGENT_RE = _alternation(URGENT.split())
_CALM_RE = _alternation(CALM.split())
_EXCLAIM_RE = re.compile(r"[!！]{2,}")
_STICKER_RE = re.compile(r"\[[^\[\]\s]{1,4}\]")
_DIGITS_RE = re.compile(r"\d+")
_SPACES_RE = re.compile(r"\s+")
_NO_MARKERS = {ord(c): None for c in _MARKER_CHARS}


def _keep(char):
    if char.isspace() or char.isalnum():
        return char
    return " "


def normalise(text):
    """The text as the n-grams should see it, without lexicon markers."""
    # markers first: NFKC would turn them into digits (① → 1)
    text = (text or "").translate(_NO_MARKERS)
    text = unicodedata.normalize("NFKC", text).lower().translate(TRADITIONAL)
    text = _STICKER_RE.sub(" ", text)
    text = _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], text)
    text = _DIGITS_RE.sub("0", text)
    # emoji, symbols and punctuation carry no category (is alnum keeps CJK, letters, digits)
    text = "".join(_keep(c) for c in text)
    return _SPACES_RE.sub(" ", text).strip()


def markers(text):
    """The marker characters of the lexicon words found in a normalised text."""
    return "".join(MARKERS[c] for c in (_TERMS[m.group(0)] for m in _TERM_RE.finditer(text)) if c)


def prepare(text):
    """Normalised text followed by its lexicon and urgency markers: what the pipelines see."""
    clean = normalise(text)
    found = (
        markers(clean)
        + URGENT_MARKER * (len(_URGENT_RE.findall(clean)) + len(_EXCLAIM_RE.findall(text or "")))
        + CALM_MARKER * len(_CALM_RE.findall(clean))
    )
    return f"{clean} {found}" if found else clean
