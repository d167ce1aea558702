"""The shared nouns of the portal, one module per concept."""

from __future__ import annotations

from .api_tokens import ApiToken
from .areas import Area
from .audit import AccessLog
from .employers import Employer
from .inbox import InboxMessage
from .login_codes import LoginCode
from .postings import JobPosting, PostingSkill
from .records import ServiceRecord, SiteEvent
from .saved_searches import SavedSearch
from .seekers import SeekerRegistration, SeekerSkill
from .service_points import OperatorMembership, ServicePoint
from .skills import Skill, SkillCategory
from .sms import SmsOutbox
from .users import User

__all__ = [
    "AccessLog",
    "ApiToken",
    "Area",
    "Employer",
    "InboxMessage",
    "JobPosting",
    "LoginCode",
    "OperatorMembership",
    "PostingSkill",
    "SavedSearch",
    "SeekerRegistration",
    "SeekerSkill",
    "ServicePoint",
    "ServiceRecord",
    "SiteEvent",
    "Skill",
    "SkillCategory",
    "SmsOutbox",
    "User",
]
