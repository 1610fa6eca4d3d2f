"""Page types of the public site, one module per family (STYLE.md)."""

from .areas import CommunePage, ProvincePage
from .content import GuidancePage, NewsIndexPage, NewsPage
from .home import HomePage
from .training import TrainingIndexPage, TrainingLevel, TrainingMaterialPage

__all__ = [
    "CommunePage",
    "GuidancePage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "ProvincePage",
    "TrainingIndexPage",
    "TrainingLevel",
    "TrainingMaterialPage",
]
