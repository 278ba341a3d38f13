"""Generate the starter training set of Chinese repair requests (报事报修).

Run once, offline, from the repository root::

    .venv/bin/python addons/property_workorder/tools/generate_training_data.py

It writes ``addons/property_workorder/data/request_training.csv`` (columns: text, category,
priority, symptom: the symptom the sentence was built on, for the unseen-symptom evaluation).
The texts mix several sentence shapes, places, times, urgency words, colloquial openers and
closers, and a share of typos (homophones, dropped characters), so that the
classifier learns the vocabulary of each category rather than one template. The output is
deterministic (fixed seed), so the committed CSV can be regenerated identically. It does not
touch ``data/request_training_manual.csv`` (hand-written rows, also part of the starter set)
nor ``tests/data/independent_requests.csv`` (evaluation only, never training data).

Priority labels: ``3`` urgent (danger to people or property now: 被困, 漏电, 冒烟, 水漫…),
``2`` high (a service is out or the resident asks for speed), ``0`` low (cosmetic, "不急"),
``1`` normal otherwise.
"""

import csv
import random
import sys
from pathlib import Path

SEED = 20241125
TARGET = 1400

# Each category: list of (symptom, base priority). Symptoms are written as a resident would say them.
SYMPTOMS = {
    "plumbing": [
        ("暖气片漏水，地板都泡了", 2),
        ("地暖分水器滴水", 1),
        ("水龙头出水有沙子", 1),
        ("卫生间下水管有响声，咕噜咕噜的", 0),
        ("楼顶水箱溢水顺着外墙往下流", 2),
        ("马桶水箱进水阀坏了，一直进水", 1),
        ("浴缸下水慢得很", 0),
        ("厨房水槽的下水管断了", 2),
        ("阳台地漏往上冒水", 2),
        ("水管冻裂了", 3),
        ("热水管不出热水", 1),
        ("雨水管堵了，阳台积水到脚踝", 2),
        ("厨房水管漏水", 2),
        ("卫生间地漏堵了，水下不去", 1),
        ("马桶堵塞冲不下去", 2),
        ("马桶一直在流水，关不住", 1),
        ("洗手盆下面的软管在滴水", 1),
        ("水龙头坏了拧不紧", 1),
        ("热水器进水管接头渗水", 1),
        ("楼上往我家天花板渗水", 2),
        ("水管爆了，家里水漫金山", 3),
        ("水管破裂在喷水", 3),
        ("下水道反味很臭", 1),
        ("阳台排水管堵了，下雨积水", 1),
        ("家里没有水了，停水了吗", 2),
        ("水压特别小，洗澡都洗不了", 1),
        ("水表箱里的阀门漏水", 2),
        ("厨房下水返水，水槽满了", 2),
        ("淋浴花洒出水很小", 0),
        ("墙里面好像有暗管漏水，墙皮都湿了", 2),
        ("污水井冒水了，流到路上", 3),
        ("洗衣机排水口往外溢水", 1),
        ("角阀生锈了想换一个", 0),
        ("自来水发黄有锈味", 2),
        ("二次供水水箱好像有问题，水有异味", 2),
        ("楼道里的消防水管在漏水", 2),
    ],
    "electrical": [
        ("家里一半的插座没电", 2),
        ("电闸合不上去", 2),
        ("楼道的应急灯一直在叫", 1),
        ("灯泡刚换就烧了", 1),
        ("电线老化，墙上插座发黑", 2),
        ("开灯的时候有滋滋的电流声", 2),
        ("楼顶的航空障碍灯不亮", 1),
        ("单元门口的照明开关坏了", 0),
        ("电表跳字特别快，怀疑漏电", 2),
        ("插座被水泡了，不敢用", 3),
        ("地下室配电柜在冒火星", 3),
        ("楼道灯白天也一直亮着，浪费电", 0),
        ("家里突然停电了", 2),
        ("插座冒火花", 3),
        ("开关一按就跳闸", 2),
        ("电表箱有焦糊味", 3),
        ("客厅灯不亮了", 1),
        ("楼道灯坏了，晚上一片漆黑", 1),
        ("声控灯不灵了，跺脚也不亮", 1),
        ("插座没电，充电器插上没反应", 1),
        ("空气开关老是跳", 2),
        ("电线裸露在外面很危险", 3),
        ("漏电了，摸水龙头有点麻", 3),
        ("配电箱冒烟了", 3),
        ("地下车库的灯一闪一闪的", 1),
        ("路灯不亮，小区里黑乎乎的", 1),
        ("卫生间浴霸不工作", 1),
        ("门口的感应灯一直亮着不灭", 0),
        ("厨房插座松了，插头老掉", 0),
        ("电梯厅的照明灯管坏了两根", 0),
        ("充电桩充不上电", 1),
        ("家里电压不稳，灯忽明忽暗", 2),
        ("单元门口的电线被老鼠咬断了", 2),
        ("屋里有股电线烧焦的味道", 3),
        ("预付费电表显示有钱但没电", 2),
    ],
    "elevator": [
        ("坐电梯的时候突然停了，按钮全灭", 3),
        ("电梯钢丝绳有异响", 2),
        ("电梯门反复开关，就是走不了", 2),
        ("电梯超载铃乱响，没几个人也响", 1),
        ("电梯到了一楼还往下溜", 3),
        ("电梯年检标志过期了", 0),
        ("扶梯突然倒转", 3),
        ("电梯门口的呼叫按钮被砸坏了", 1),
        ("电梯里有股烧焦的味道", 3),
        ("无障碍电梯用不了", 1),
        ("电梯等了二十分钟都不来", 1),
        ("电梯里监控坏了", 0),
        ("电梯困人了，有人被关在里面", 3),
        ("电梯卡在两层中间不动了", 3),
        ("电梯门关不上", 2),
        ("电梯运行的时候抖得厉害", 2),
        ("电梯有异响，咯吱咯吱的", 2),
        ("电梯按钮按了没反应", 1),
        ("电梯显示屏不亮", 0),
        ("电梯停运了，老人上不了楼", 2),
        ("电梯到楼层了门不开", 2),
        ("电梯里的灯坏了，里面很暗", 1),
        ("电梯急停，下坠了一下吓死人", 3),
        ("电梯平层不准，出门要跨一个台阶", 2),
        ("电梯里面的风扇不转，闷得很", 0),
        ("电梯一直停在顶楼不下来", 1),
        ("电梯对讲机打不通", 2),
        ("货梯门夹人", 3),
        ("电梯轿厢里有积水", 2),
        ("电梯楼层按键掉了一个", 0),
        ("电梯里的广告屏声音太大", 0),
        ("电梯开门关门特别慢", 1),
    ],
    "doors_locks": [
        ("防盗门锁芯坏了，需要换锁", 2),
        ("卧室门把手转不动，人出不来", 3),
        ("单元门的电磁锁吸不住", 2),
        ("小区侧门的门禁刷脸没反应", 1),
        ("车库门遥控器失灵", 1),
        ("防火门的闭门器漏油", 0),
        ("门铃按了没声音", 0),
        ("阳台窗户关不上，风一吹就开", 1),
        ("纱窗掉下来了", 0),
        ("入户门门缝太大，关不严", 0),
        ("门禁系统断电，大门一直开着", 2),
        ("楼道窗户的玻璃被风吹碎了", 2),
        ("单元门禁坏了刷卡进不去", 2),
        ("单元门关不上，谁都能进", 2),
        ("家门锁坏了，钥匙拧不动", 2),
        ("钥匙断在锁孔里了", 2),
        ("被反锁在门外进不去家", 3),
        ("防盗门门把手掉了", 1),
        ("指纹锁没反应，电池换了也不行", 2),
        ("楼道防火门合不上", 1),
        ("地库的人行门闭门器坏了，门砰砰响", 1),
        ("小区大门道闸不抬杆", 2),
        ("门禁卡消磁了，想重新办一张", 0),
        ("可视对讲不响，访客按了听不到", 1),
        ("窗户把手坏了关不严", 1),
        ("阳台推拉门卡住推不动", 1),
        ("信报箱的锁坏了", 0),
        ("人脸识别门禁认不出我", 1),
        ("单元门的玻璃裂了", 2),
        ("消防通道门的锁被人撬了", 2),
        ("车库卷帘门卡在半空", 2),
        ("入户门合页松了，门往下掉", 1),
        ("密码锁一直报警嘀嘀响", 1),
    ],
    "cleaning": [
        ("楼道地面有一大滩油", 1),
        ("垃圾分类桶被翻得乱七八糟", 0),
        ("楼梯拐角有人小便，味道很难闻", 1),
        ("电梯按钮上黏糊糊的", 0),
        ("单元门口被泼了油漆", 1),
        ("天台排水口被垃圾堵了", 1),
        ("车库墙角发霉长毛", 0),
        ("门口的地垫很久没换了，全是灰", 0),
        ("宠物粪便没人清理", 1),
        ("楼道窗台积了一层灰", 0),
        ("垃圾清运车洒了一地垃圾", 1),
        ("化粪池满了往外冒", 3),
        ("楼道里的垃圾好几天没人收", 1),
        ("垃圾桶满了溢出来，臭死了", 1),
        ("电梯里有人吐了，很脏", 2),
        ("楼梯间有狗屎没人打扫", 1),
        ("地库地面全是油污", 0),
        ("大堂地面很脏，全是泥脚印", 0),
        ("楼道里堆了装修垃圾", 1),
        ("垃圾房苍蝇太多", 1),
        ("外墙玻璃好久没擦了", 0),
        ("单元门口有人乱扔烟头", 0),
        ("小区里的蟑螂特别多，要消杀", 1),
        ("有老鼠在垃圾站跑来跑去", 1),
        ("楼道扶手上全是灰", 0),
        ("下雨后地库入口全是淤泥", 1),
        ("厨余垃圾桶没盖，味道很大", 1),
        ("电梯轿厢的地毯很脏该换了", 0),
        ("小广告贴满了楼道墙面", 0),
        ("楼顶天台堆满杂物", 0),
        ("游泳池水很浑浊要清理", 1),
        ("快递纸箱堆在楼道口没人清", 0),
        ("地上有碎玻璃，小孩容易划伤", 2),
    ],
    "greening": [
        ("树叶把屋顶天沟堵住了", 1),
        ("草坪被车轧坏了一大片", 0),
        ("行道树歪了，快倒了", 2),
        ("花园里的灌木长到人行道上，挡路", 0),
        ("草丛里有蛇出没", 2),
        ("绿化带的土裸露，一刮风就起灰", 0),
        ("桂花树上全是白色的虫子", 1),
        ("假山水池里的水发臭了", 1),
        ("除草机声音太早了", 0),
        ("草坪需要补种", 0),
        ("树太高了挡住了路灯", 1),
        ("杨絮柳絮太多，能不能处理一下", 0),
        ("楼下的树枝太长挡住窗户了", 0),
        ("草坪好久没修剪，长得老高", 0),
        ("台风把树刮倒了压在路上", 3),
        ("大树枝要断了，悬在头顶很危险", 3),
        ("绿化带里的花都枯死了", 0),
        ("树上有很多毛毛虫掉下来", 1),
        ("草地上的喷灌头坏了一直喷水", 1),
        ("绿化带杂草丛生", 0),
        ("小区里的树需要打药，虫子太多", 1),
        ("有人在绿地里种菜", 0),
        ("花坛的土冲到路上了", 0),
        ("树根把路面拱起来了，容易绊倒", 1),
        ("落叶堆满了排水沟", 1),
        ("竹子长到我家阳台上了", 0),
        ("草坪上有马蜂窝", 2),
        ("绿篱修剪得太秃了，很难看", 0),
        ("树上的枯枝掉下来砸到车了", 2),
        ("新种的树苗歪了要扶一下", 0),
        ("屋顶花园的植物没人浇水", 0),
    ],
    "noise_complaint": [
        ("楼下商铺的音乐开到半夜", 1),
        ("有人在绿化带里烧纸", 2),
        ("隔壁租户群租，人员很杂", 1),
        ("邻居在阳台上养鸡，天不亮就打鸣", 1),
        ("有人在楼道里吸烟，烟味飘进家", 0),
        ("地库有车辆乱停，堵住了我的车", 2),
        ("楼上空调滴水滴到我家窗台", 1),
        ("保洁阿姨倒垃圾的时间太早，吵醒孩子", 0),
        ("物业客服电话一直打不通，投诉", 1),
        ("有人在小区里放鞭炮", 1),
        ("邻居装修把水泥倒进下水道", 2),
        ("对面楼有人用望远镜往我家看", 2),
        ("楼上半夜装修电钻声吵得睡不着", 2),
        ("隔壁每天晚上唱歌到凌晨", 1),
        ("楼下广场舞音响太吵", 1),
        ("有人在楼道里堆放杂物堵住消防通道", 2),
        ("邻居家的狗一直叫", 1),
        ("有人把车停在消防通道上", 2),
        ("楼上往下扔垃圾，高空抛物", 3),
        ("对门养鸽子，阳台全是鸟屎", 1),
        ("有人私拉电线给电动车充电", 2),
        ("楼上小孩跑跳声太大", 0),
        ("空调外机噪音太大吵得睡不着", 1),
        ("保安态度太差了，我要投诉", 1),
        ("物业人员收费不透明，我要投诉", 1),
        ("地库里有人按喇叭按个不停", 0),
        ("隔壁装修把公共墙打穿了", 2),
        ("楼下烧烤油烟飘到我家", 1),
        ("周末早上七点就开始施工", 1),
        ("有人在小区里遛狗不牵绳", 1),
        ("维修师傅上次修完没打扫干净，投诉一下", 1),
        ("有陌生人在楼里挨家挨户推销", 1),
        ("邻居占用了我的车位", 1),
        ("楼上漏水找他们不理，请物业协调", 1),
    ],
    "other": [
        ("想问一下停水通知什么时候恢复", 0),
        ("小区门口的快递太多没地方放", 0),
        ("健身房的跑步机坏了", 0),
        ("想申请在车位安装充电桩", 0),
        ("宠物登记怎么办理", 0),
        ("业主群里说要开业主大会，想了解情况", 0),
        ("捡到一只走失的狗", 0),
        ("外来车辆怎么登记进小区", 0),
        ("想了解物业费的明细", 0),
        ("装修需要办出入证", 0),
        ("小区公告栏的通知过期了", 0),
        ("楼下的长椅坏了一条腿", 1),
        ("想咨询一下物业费怎么交", 0),
        ("快递柜打不开取不了件", 1),
        ("小区的健身器材坏了", 0),
        ("想办理装修备案手续", 0),
        ("想问问停车月卡怎么办理", 0),
        ("儿童游乐设施的滑梯有裂缝", 1),
        ("发现楼里有一只流浪猫", 0),
        ("想借用一下小区的活动室", 0),
        ("监控摄像头好像不转了", 1),
        ("想申请开个证明", 0),
        ("捡到一个钱包交给物业", 0),
        ("小区wifi连不上", 0),
        ("电动车充电棚的顶棚被风吹坏了", 1),
        ("宣传栏的玻璃碎了", 1),
        ("想预约搬家用电梯", 0),
        ("有快递放在门口被人拿走了，想查监控", 1),
        ("信箱里老有别人的信", 0),
        ("车位地锁坏了升不起来", 1),
        ("门口的减速带松了，车过去咣咣响", 1),
        ("燃气好像有点味道，不确定是不是泄漏", 3),
    ],
}

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
ESTATES = ["", "", "", "翠湖苑", "阳光花园", "锦绣华庭", "滨江名邸", "金桂园", "云栖小区"]
PLACES_HOME = [
    "{b}栋{u}室",
    "{b}号楼{f}楼",
    "{b}幢{d}单元{u}",
    "我家",
    "我们家",
    "家里",
    "{b}栋{f}楼东户",
    "{b}-{d}-{u}",
]
PLACES_COMMON = [
    "{b}号楼楼道",
    "{b}栋一楼大堂",
    "{b}单元门口",
    "地下车库B{f2}层",
    "小区东门",
    "小区南门附近",
    "中心花园",
    "{b}栋和{b2}栋之间",
    "{b}号楼{f}楼电梯口",
    "会所旁边",
    "儿童游乐区",
    "垃圾站旁边",
]
# categories whose symptoms happen mostly in public areas
COMMON_CATEGORIES = {"elevator", "cleaning", "greening"}
OPENERS = [
    "",
    "",
    "",
    "你好，",
    "您好，",
    "物业你好，",
    "师傅，",
    "喂，",
    "麻烦一下，",
    "打扰了，",
    "我是{s}女士，",
    "我是{s}先生，",
    "业主反映：",
    "住户来电：",
    "【报修】",
    "急！",
    "请问，",
]
TIMES = [
    "",
    "",
    "",
    "",
    "今天早上",
    "昨天晚上",
    "刚才",
    "从前天开始",
    "这两天",
    "半夜",
    "一大早",
    "下午三点多",
    "好几天了，",
    "已经一个星期了，",
]
URGENT_SUFFIX = [
    "非常紧急！",
    "赶紧派人来！！",
    "快来人啊",
    "十万火急",
    "马上过来处理，人命关天",
]
HIGH_SUFFIX = [
    "麻烦尽快处理",
    "请尽快安排师傅",
    "急着用，快点来",
    "今天之内一定要修好",
    "影响生活了，赶快",
    "希望马上处理",
]
LOW_SUFFIX = [
    "不急，有空来看看就行",
    "方便的时候处理一下",
    "这周内处理就可以",
    "不着急",
    "顺便说一下",
]
NORMAL_SUFFIX = [
    "",
    "",
    "谢谢",
    "麻烦了",
    "请安排人来看看",
    "辛苦师傅",
    "帮忙处理下",
    "谢谢物业",
    "能不能派个人来",
    "请联系我",
    "电话联系我就行",
    "我下午在家",
    "晚上六点以后有人",
]
# frequent homophone slips in typed Chinese
TYPOS = {
    "漏": "露",
    "堵": "赌",
    "坏": "怀",
    "修": "休",
    "电梯": "电题",
    "灯": "登",
    "插座": "查座",
    "门禁": "门进",
    "垃圾": "拉圾",
    "楼道": "楼到",
    "马桶": "马通",
    "锁": "琐",
    "噪音": "燥音",
    "投诉": "投述",
    "绿化": "绿花",
    "树枝": "树只",
    "已经": "以经",
    "麻烦": "麻凡",
}
FILLERS = ["", "", "", "那个", "就是", "哎", "真是的，", "唉，", "怎么回事，"]


def _place(rng, category):
    b, b2 = rng.randint(1, 32), rng.randint(1, 32)
    f, f2 = rng.randint(1, 33), rng.randint(1, 3)
    d, u = rng.randint(1, 4), f"{rng.randint(1, 33)}0{rng.randint(1, 4)}"
    common = category in COMMON_CATEGORIES and rng.random() < 0.7
    pattern = rng.choice(PLACES_COMMON if common or rng.random() < 0.2 else PLACES_HOME)
    place = pattern.format(b=b, b2=b2, f=f, f2=f2, d=d, u=u)
    estate = rng.choice(ESTATES)
    return estate + place


def _typo(rng, text):
    if rng.random() > 0.18:
        return text
    keys = [k for k in TYPOS if k in text]
    if keys:
        key = rng.choice(keys)
        return text.replace(key, TYPOS[key], 1)
    if len(text) > 8:  # a dropped character
        i = rng.randrange(2, len(text) - 2)
        return text[:i] + text[i + 1 :]
    return text


def _priority(rng, base):
    """The label follows the symptom; the resident's words move it by one step at most."""
    roll = rng.random()
    if base == 3:
        return 3, rng.choice(URGENT_SUFFIX) if roll < 0.5 else rng.choice(NORMAL_SUFFIX)
    if roll < 0.22:
        return min(base + 1, 2) if base < 2 else 2, rng.choice(HIGH_SUFFIX)
    if roll < 0.32 and base <= 1:
        return 0, rng.choice(LOW_SUFFIX)
    return base, rng.choice(NORMAL_SUFFIX)


def _sentence(rng, category, symptom, suffix):
    opener = rng.choice(OPENERS).format(s=rng.choice(SURNAMES))
    place = _place(rng, category)
    when = rng.choice(TIMES)
    filler = rng.choice(FILLERS)
    shape = rng.randrange(7)
    if shape == 0:
        body = f"{place}{when}{symptom}"
    elif shape == 1:
        body = f"{when}{filler}{symptom}，地址是{place}"
    elif shape == 2:
        body = f"{place}：{symptom}"
    elif shape == 3:
        body = f"{filler}{symptom}（{place}）"
    elif shape == 4:
        body = f"{when}发现{place}{symptom}"
    elif shape == 5:
        body = f"我住{place}，{when}{symptom}"
    else:
        body = f"{symptom}"
    tail = "，" + suffix if suffix else rng.choice(["", "。", "！", "?"])
    return _typo(rng, f"{opener}{body}{tail}")


def generate(count=TARGET, seed=SEED):
    rng = random.Random(seed)
    rows, seen = [], set()
    categories = sorted(SYMPTOMS)
    attempts = 0
    while len(rows) < count and attempts < count * 20:
        attempts += 1
        category = categories[len(rows) % len(categories)]
        index = rng.randrange(len(SYMPTOMS[category]))
        symptom, base = SYMPTOMS[category][index]
        priority, suffix = _priority(rng, base)
        text = _sentence(rng, category, symptom, suffix)
        if text in seen:
            continue
        seen.add(text)
        rows.append((text, category, str(priority), f"{category}:{index}"))
    rng.shuffle(rows)
    return rows


def main(path=None):
    path = Path(path or Path(__file__).resolve().parent.parent / "data" / "request_training.csv")
    rows = generate()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category", "priority", "symptom"])
        writer.writerows(rows)
    sys.stdout.write(f"{len(rows)} rows written to {path}\n")
    from classifier import evaluate_unseen_symptoms, load_starter_rows, train

    result = train(load_starter_rows(path))
    sys.stdout.write(
        f"held-out accuracy: category {result['category_accuracy']:.3f}, "
        f"priority {result['priority_accuracy']:.3f}; category on unseen symptoms "
        f"{evaluate_unseen_symptoms(path):.3f}\n"
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])
