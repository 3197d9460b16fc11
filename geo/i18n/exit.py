"""The poverty-exit check's words (the overview's view, the wall's mode), kept apart
from geo/i18n/__init__.py's (which takes them in): key → (Chinese, English)."""

EXIT_WORDS: dict[str, tuple[str, str]] = {
    "exit_check": ("退出检查", "Exit check"),
    "exit_levels": ("退出检查按县或按村查看，请选择层级。",
                    "The exit check is by county or by village: pick a level."),
    "exit_no_records": ("尚无建档立卡数据：请先导入（--kind households）。",
                        "No household records yet: import them (--kind households)."),
    "exit_not_at_level": ("此项指标不在这一层级考核。",
                          "This criterion is not tested at this level."),
    "exit_failing": ("{year}年未达标的单位", "Not passing in {year}"),
    "exit_unit": ("单位", "Unit"),
    "exit_readiness": ("检查结果", "Result"),
    "exit_failing_criteria": ("未达标指标", "Failing criteria"),
    "exit_all_pass": ("全部达标。", "Every unit passes."),
    "exit_missing_items": ("缺少的出列指标", "Village items missing"),
    # the wall's exit mode
    "wall_mode_exit": ("{year}年退出检查", "Exit check {year}"),
    "wall_exit_passing": ("达标", "Passing"),
    "wall_exit_board": ("未达标的{level}", "{level} not passing"),
    "wall_exit_none": ("全部达标", "All passing"),
}
