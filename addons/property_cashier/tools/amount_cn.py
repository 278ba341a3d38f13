"""Amounts in Chinese capitals (人民币大写) as receipts print them: 壹佰贰拾叁元肆角伍分."""

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]
BIG_UNITS = ["", "万", "亿", "万亿"]


def _four(number):
    """0 < number < 10000, with 零 between non-zero digits."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit:
            if zero and text:
                text += "零"
            text += DIGITS[digit] + SMALL_UNITS[position]
            zero = False
        else:
            zero = True
    return text


def amount_to_chinese(amount):
    fen_total = round(abs(amount) * 100)
    yuan, fen_total = divmod(fen_total, 100)
    jiao, fen = divmod(fen_total, 10)
    parts = []
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group:
            if need_zero or (text and group < 1000):
                text += "零"
            text += _four(group) + BIG_UNITS[index]
            need_zero = False
        elif text:
            need_zero = True
    if text:
        parts.append(text + "元")
    if jiao:
        parts.append(DIGITS[jiao] + "角")
    elif text and fen:
        parts.append("零")
    if fen:
        parts.append(DIGITS[fen] + "分")
    result = "".join(parts) or "零元"
    if not fen:
        result += "整"
    return ("负" if amount < 0 else "") + result
