"""The twelve appeal categories of the district (code, name, description)."""

CATEGORIES = [
    ("land", "土地房产", "土地证、房产证等产权界定和手续办理"),
    ("finance", "融资信贷", "贷款、担保、融资对接"),
    ("labour", "用工人才", "招工、技术人才、社保"),
    ("policy", "政策兑现", "扶持资金和优惠政策的兑现"),
    ("approval", "审批手续", "立项、环评、施工许可等审批"),
    ("utilities", "水电气暖与基础设施", "供水、供电、燃气、供暖、道路管网"),
    ("planning", "规划建设", "规划调整、建设用地、厂房建设"),
    ("market", "市场开拓", "产品推介、产销对接、展会"),
    ("innovation", "科技创新", "研发、技术中心、新产品认定、专利"),
    ("environment", "环保安全", "环保、安全生产、消防"),
    ("tax", "税费", "税收、收费、退税"),
    ("other", "其他", "以上类别之外的问题和需求"),
]
