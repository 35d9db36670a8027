"""All models, one module per part of the domain."""
from app.models.accounts import ACCOUNT_ROLES, ADMIN, OFFICER, SERGEANT, LoginAttempt, User
from app.models.engagement import MEETING_KINDS, Meeting, Priority, PriorityAction, Update
from app.models.outbox import OutboxEmail
from app.models.inbox import (CONTACT_BY, FEEDBACK, FEEDBACK_THEMES, MESSAGE, Escalation, FeedbackTheme, Message,
                               ThreadEntry)
from app.models.geography import Force, Neighbourhood, Postcode
from app.models.teams import ROLES, WEEKDAYS, Membership, Officer, Station, Team

__all__ = [
    "ACCOUNT_ROLES", "ADMIN", "OFFICER", "SERGEANT", "LoginAttempt", "User",
    "MEETING_KINDS", "Meeting", "Priority", "PriorityAction", "Update",
    "Force", "Neighbourhood", "Postcode", "OutboxEmail",
    "CONTACT_BY", "FEEDBACK", "FEEDBACK_THEMES", "MESSAGE", "Escalation", "FeedbackTheme", "Message", "ThreadEntry",
    "ROLES", "WEEKDAYS", "Membership", "Officer", "Station", "Team",
]
