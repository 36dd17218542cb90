"""The policy categories the district works with (an admin may add others)."""

from __future__ import annotations

from typing import Any

# code, name
CATEGORIES = [
    ("brand", "品牌创建"),
    ("innovation", "技术创新"),
    ("new-product", "新产品认定"),
    ("tech-centre", "技术中心评定"),
    ("energy-saving", "节能"),
    ("resource-use", "资源综合利用"),
    ("tax", "税收优惠"),
    ("clean-production", "清洁生产"),
    ("circular-economy", "循环经济"),
    ("conservation", "节约型社会"),
    ("talent", "人才"),
    ("financing", "融资"),
]


def install(category_model: Any) -> None:
    """Create the categories that are missing (an existing code keeps its name)."""
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
