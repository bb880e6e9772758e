"""Deterministic, realistic Chinese names for demo data."""

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志军海燕林鹏飞晓东雪琴春兰德荣国庆立新淑珍文斌宏伟永红少华慧敏建华秀兰宇航子涵浩然思远欣怡梓萱一诺"
STREET_STEMS = [
    "城厢", "蛟川", "招宝山", "骆驼", "庄市", "澥浦", "九龙湖", "贵驷", "江南", "玉龙", "新城", "东湖", "白塔",
    "石龙", "北门", "南城", "西苑", "临江", "凤凰", "明珠", "滨河", "长安", "和平", "朝阳",
]
COMMUNITY_STEMS = [
    "胜利", "民主", "团结", "幸福", "光明", "和谐", "文化", "育才", "春晖", "清水", "金山", "银杏", "桂花", "荷花",
    "紫薇", "绿洲", "阳光", "前进", "红星", "解放", "东风", "新华", "建设", "人民", "锦华", "天宁", "南苑", "北苑",
]
COMPOUND_STEMS = [
    "锦绣", "翠苑", "金色", "阳光", "丽景", "怡和", "碧水", "御景", "香樟", "枫林", "南湖", "梅园", "紫荆", "江畔",
    "星河", "世纪", "海德", "华府", "银泰", "城市", "书香", "康乐", "和美", "馨园", "雅苑", "东方", "中央", "湖滨",
    "嘉禾", "丰泽", "汇景", "青枫", "云栖", "凤鸣", "龙湾", "竹溪",
]
COMPOUND_SUFFIXES = ["花园", "小区", "新村", "家园", "公寓", "苑", "府", "名邸", "佳苑", "雅居"]
ROAD_STEMS = ["中山", "解放", "人民", "建设", "胜利", "和平", "文化", "新华", "长江", "黄河", "环城", "滨江", "学府"]
FIRM_STEMS = [
    "绿城", "万科", "金帝", "银亿", "恒信", "安居", "宁馨", "诚安", "新宇", "康城", "天润", "永安", "众联", "佳和",
    "华鼎", "瑞丰", "德信", "甬城", "东盛", "江南", "东方", "明州", "和谐", "三江",
]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "137", "136", "150", "151", "158", "186", "188", "135")) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )


def id_card(rng: random.Random, region: str = "330211") -> str:
    year = rng.randrange(1945, 2004)
    body = f"{region}{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def unique_names(rng: random.Random, stems: list[str], suffixes: list[str], count: int) -> list[str]:
    """`count` distinct names stem+suffix, numbered when the combinations run out."""
    combos = [s + x for s in stems for x in suffixes]
    rng.shuffle(combos)
    names = []
    for i in range(count):
        base = combos[i % len(combos)]
        round_ = i // len(combos)
        names.append(base if round_ == 0 else f"{base}{round_ + 1}期")
    return names
