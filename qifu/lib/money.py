"""Money as the district writes it: entered and stored in 万元, shown in 万元 or 亿元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

YI = Decimal(10000)  # 1 亿元 = 10,000 万元


def format_wan(amount: Decimal, *, places: int = 2) -> str:
    """7000 → "7,000.00万元"; 40000 → "4.00亿元"; negative amounts keep their sign."""
    quantum = Decimal(1).scaleb(-places)
    wan = amount.quantize(quantum, ROUND_HALF_UP)
    if abs(wan) >= YI:  # after rounding: 9,999.995 万元 is shown as 1.00亿元
        return f"{(amount / YI).quantize(quantum, ROUND_HALF_UP):,}亿元"
    return f"{wan:,}万元"
