"""All models, one module per part of the domain."""
from app.models.alerts import FREQUENCIES, MONTHLY, WEEKLY, AlertDelivery, AlertMessage, AlertSubscription
from app.models.accounts import (ACCOUNT_ROLES, ADMIN, OFFICER, SERGEANT, LoginAttempt, PasswordReset, RecoveryCode,
                                 StaffSession, User)
from app.models.audit import AuditEntry, apply_changes, record
from app.models.confidence import AGREEMENT_LABELS, ANSWERED_LABELS, CONFIDENCE_QUESTION, ConfidenceResponse
from app.models.crime import ANTI_SOCIAL_BEHAVIOUR, CRIME_TYPE_LABELS, Crime, CrimeRelease
from app.models.engagement import MEETING_KINDS, Meeting, MeetingSeries, Priority, PriorityAction, Update
from app.models.outbox import OutboxEmail
from app.models.pledge import ABSTRACTION_REASONS, LEAVE, Abstraction, PledgeExplanation, VisibleTimeReturn
from app.models.inbox import (CONTACT_BY, CONTACT_OFFERS, FEEDBACK, FEEDBACK_THEMES, MESSAGE, Escalation, FeedbackTheme, Message,
                               ThreadEntry)
from app.models.local_reports import PROBLEM_TYPE_LABELS, LocalReport
from app.models.geography import DataVersion, Force, Neighbourhood, Postcode
from app.models.teams import ROLE_LABELS, ROLES, WEEKDAYS, Membership, Officer, Station, Team

__all__ = [
    "AuditEntry", "apply_changes", "record", "ConfidenceResponse",
    "AGREEMENT_LABELS", "ANSWERED_LABELS", "CONFIDENCE_QUESTION",
    "FREQUENCIES", "MONTHLY", "WEEKLY", "AlertDelivery", "AlertMessage", "AlertSubscription",
    "ACCOUNT_ROLES", "ADMIN", "OFFICER", "SERGEANT", "LoginAttempt", "PasswordReset", "RecoveryCode", "StaffSession", "User",
    "MEETING_KINDS", "Meeting", "MeetingSeries", "Priority", "PriorityAction", "Update",
    "ANTI_SOCIAL_BEHAVIOUR", "CRIME_TYPE_LABELS", "Crime", "CrimeRelease",
    "DataVersion", "Force", "Neighbourhood", "Postcode", "OutboxEmail", "PledgeExplanation",
    "ABSTRACTION_REASONS", "LEAVE", "Abstraction", "VisibleTimeReturn", "CONTACT_OFFERS",
    "CONTACT_BY", "FEEDBACK", "FEEDBACK_THEMES", "MESSAGE", "Escalation", "FeedbackTheme", "Message", "ThreadEntry",
    "PROBLEM_TYPE_LABELS", "LocalReport",
    "ROLE_LABELS", "ROLES", "WEEKDAYS", "Membership", "Officer", "Station", "Team",
]
