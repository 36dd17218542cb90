"""REST: /api/v1/ideas/ (see `views`)."""

from qifu.ideas.api.views import BlockViewSet, IdeaViewSet

__all__ = ["BlockViewSet", "IdeaViewSet"]
