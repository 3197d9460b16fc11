"""Names for the demo's synthetic townships and villages.

Pastoral banners (旗) name their 嘎查 and 苏木 in Mongolian, written in the
usual Chinese transliteration (巴彦宝力格嘎查, 查干淖尔苏木); farming counties
name their 村 after families, landforms and the slogans of the 1950s–60s
(张家营子村, 后湾村, 前进村).  The slogan names repeat across townships on
purpose: several 新村 and 前进村 in one county are what real ledgers have, and
what the joins must not confuse.
"""

from __future__ import annotations

import numpy as np

# Mongolian words as place names write them: colours, riches, water, land.
MONGOL_FIRST = (
    "乌兰", "巴彦", "查干", "呼和", "阿拉坦", "额尔敦", "沙日", "宝日", "希拉",
    "哈日", "白音", "伊和", "巴嘎", "那仁", "图门", "满都拉", "吉日嘎郎", "乌力吉",
    "朝鲁", "宝音", "格日勒", "毕力格", "敖伦", "乌日图", "德力格尔", "锡林",
    "阿日", "哈拉", "额尔德尼", "道兰",
)
MONGOL_SECOND = (
    "宝力格", "哈达", "敖包", "塔拉", "高勒", "乌素", "淖尔", "乌拉", "浩特",
    "陶勒盖", "诺尔", "布拉格", "呼都格", "温都尔", "套海", "花", "图",
    "芒哈", "希力", "毛都", "呼舒", "额肯", "锡林", "阿木", "哈沙图", "布日都",
)
SURNAMES = (
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "郭", "孙", "马",
    "胡", "高", "梁", "郝", "任", "白", "韩", "贾", "乔", "常", "康", "薛", "苏",
    "武", "石", "冯", "田", "闫", "段", "樊", "霍",
)
FAMILY_PLACES = (
    "营子", "窑", "沟", "湾", "店", "堡", "梁", "圪旦", "壕", "滩", "坊子",
    "圪梁", "营", "窑子", "地", "渠", "圪堵",
)
DIRECTIONS = ("东", "西", "南", "北", "前", "后", "上", "下", "大", "小", "中")
LANDFORMS = (
    "坡", "沟", "湾", "滩", "梁", "营子", "窑子", "井", "河", "庙", "壕",
    "圪旦", "房子", "店", "台", "堡", "城", "树林", "柳树", "榆树", "杨树",
    "水泉", "石门", "沙窝",
)
ORDINALS = ("头道", "二道", "三道", "四道", "五道", "十八", "二十")
ORDINAL_PLACES = ("沟", "河", "营子", "梁", "湾", "台")
# Slogan names repeat across a county; the first few most of all.
SLOGANS = (
    "新", "前进", "胜利", "红旗", "东风", "团结", "新民", "光明", "新胜", "永丰",
    "太平", "兴隆", "富民", "和平", "丰收", "永兴", "长胜", "双利", "德胜",
    "新建", "兴旺", "永胜", "富强", "联合", "民主", "建设", "向阳", "新华",
    "复兴", "三合", "四合", "五一", "八一",
)
LANDMARKS = (
    "大庙", "石门沟", "三道营", "二道河", "五股泉", "十八台", "白泥井", "红泥井",
    "柳树湾", "榆树沟", "双井", "高台", "石头坝", "土城子", "黄土梁", "碱壕",
    "沙梁", "羊场", "马场", "黑沙图", "乌兰忽洞", "哈拉沁", "毛忽庆", "沙尔沁",
    "毕克齐", "察素齐", "什拉门更", "讨合气",
)
# Zipf-like: 新村 and 前进村 come up far more often than 八一村.
_SLOGAN_WEIGHTS = 1.0 / (1 + np.arange(len(SLOGANS)))
_SLOGAN_WEIGHTS /= _SLOGAN_WEIGHTS.sum()


def mongol_word(rng: np.random.Generator) -> str:
    """A Mongolian place-name stem: one word or, mostly, two."""
    r = rng.random()
    first = MONGOL_FIRST[rng.integers(len(MONGOL_FIRST))]
    if r < 0.2:
        return first
    second = MONGOL_SECOND[rng.integers(len(MONGOL_SECOND))]
    if r < 0.28:
        return second if len(second) > 1 else first + second
    return first + second if first != second else first


def han_word(rng: np.random.Generator) -> str:
    """A Han village-name stem from a family, a landform or a slogan."""
    r = rng.random()
    if r < 0.32:
        surname = SURNAMES[rng.integers(len(SURNAMES))]
        return surname + "家" + FAMILY_PLACES[rng.integers(len(FAMILY_PLACES))]
    if r < 0.6:
        return (DIRECTIONS[rng.integers(len(DIRECTIONS))]
                + LANDFORMS[rng.integers(len(LANDFORMS))])
    if r < 0.68:
        return (ORDINALS[rng.integers(len(ORDINALS))]
                + ORDINAL_PLACES[rng.integers(len(ORDINAL_PLACES))])
    if r < 0.85:
        return SLOGANS[rng.choice(len(SLOGANS), p=_SLOGAN_WEIGHTS)]
    return LANDMARKS[rng.integers(len(LANDMARKS))]


# Tibetan place names of western Sichuan as written in Chinese (甘孜州's 色达,
# 甲学, 然充): two syllables from these, then 村 or 乡.
TIBETAN_FIRST = ("扎", "格", "色", "甲", "然", "洛", "雅", "达", "拉", "多", "觉", "德",
                 "泽", "热", "俄", "章", "查", "麻", "亚", "普", "曲", "嘎", "仁", "宗")
TIBETAN_SECOND = ("西", "桑", "达", "学", "充", "须", "龙", "日", "绒", "果", "莫", "吉",
                  "巴", "玛", "卡", "通", "科", "措", "朗", "雄", "塘", "尼", "贡", "波")


def tibetan_word(rng: np.random.Generator) -> str:
    """A two- or three-syllable Tibetan place word (扎西, 色达, 甲学龙)."""
    word = TIBETAN_FIRST[rng.integers(len(TIBETAN_FIRST))] \
        + TIBETAN_SECOND[rng.integers(len(TIBETAN_SECOND))]
    if rng.random() < 0.3:
        word += TIBETAN_SECOND[rng.integers(len(TIBETAN_SECOND))]
    return word


def village_name(rng: np.random.Generator, *, pastoral: bool) -> str:
    """A village name: ``…嘎查`` for a pastoral village, ``…村`` otherwise."""
    if pastoral:
        return mongol_word(rng) + "嘎查"
    # Farming villages of Mongolian origin keep the Mongolian name as a 村.
    stem = mongol_word(rng) if rng.random() < 0.08 else han_word(rng)
    return stem + "村"


def township_name(rng: np.random.Generator, *, kind: str, mongol: bool) -> str:
    """A township name ending in ``kind`` (镇, 乡 or 苏木)."""
    if mongol:
        return mongol_word(rng) + kind
    r = rng.random()
    if r < 0.4:
        stem = (DIRECTIONS[rng.integers(len(DIRECTIONS))]
                + LANDFORMS[rng.integers(len(LANDFORMS))])
    elif r < 0.6:
        stem = LANDMARKS[rng.integers(len(LANDMARKS))]
    elif r < 0.8:
        stem = SURNAMES[rng.integers(len(SURNAMES))] + "家营子"
    else:
        stem = mongol_word(rng)
    return stem + kind


def fresh_name(make, rng: np.random.Generator, seen: set[str]) -> str:
    """A name from ``make(rng)`` that is not in ``seen``; it is added to it.

    After a few failed draws a direction word is put in front (东新村 beside
    新村), as neighbours that share a name are told apart.
    """
    for attempt in range(40):
        name = make(rng)
        if attempt >= 20:
            name = DIRECTIONS[rng.integers(len(DIRECTIONS))] + name
        if name not in seen:
            break
    else:
        name = f"{name}{len(seen) + 1}"
    seen.add(name)
    return name
