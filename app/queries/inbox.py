"""What the team inbox pages list: workloads per team, a team's messages, the sergeants'
review, and feedback themes. Each function takes the kinds of message the reader may see."""
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import FeedbackTheme, Message, Team


def team_workloads(team_ids, kinds, now, promise):
    """[(team, open messages, unanswered, overdue)] by team name; for all teams (team_ids
    None) only those with open messages, at most 200."""
    unanswered = case((Message.first_human_reply_at.is_(None), 1), else_=0)
    overdue = case((Message.first_human_reply_at.is_(None) & (Message.received_at < now - promise), 1), else_=0)
    query = (select(Team, func.count(Message.id), func.coalesce(func.sum(unanswered), 0),
                    func.coalesce(func.sum(overdue), 0))
             .outerjoin(Message, (Message.team_id == Team.id) & Message.closed_at.is_(None)
                        & Message.kind.in_(kinds))
             .group_by(Team.id).order_by(Team.name))
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    else:
        query = query.having(func.count(Message.id) > 0).limit(200)
    return db.session.execute(query).all()


def team_messages(team_id, kinds, closed=False):
    """Open messages (unanswered first, then fuller answers still owed, then the rest; oldest
    first in each), or the 200 most recently closed."""
    query = select(Message).where(Message.team_id == team_id, Message.kind.in_(kinds))
    if closed:
        query = query.where(Message.closed_at.is_not(None)).order_by(Message.closed_at.desc()).limit(200)
    else:
        query = query.where(Message.closed_at.is_(None)).order_by(
            Message.first_human_reply_at.is_not(None),
            ~(Message.fuller_answer_promised_at.is_not(None) & Message.fuller_answer_sent_at.is_(None)),
            Message.received_at)
    return db.session.scalars(query.options(selectinload(Message.owner))).all()


def unanswered_since(team_ids, before):
    """Open messages with no human reply received at or before `before`, oldest first (500 at most)."""
    query = (select(Message).where(Message.first_human_reply_at.is_(None), Message.closed_at.is_(None),
                                   Message.received_at <= before)
             .order_by(Message.received_at).options(selectinload(Message.owner), selectinload(Message.team))
             .limit(500))
    if team_ids is not None:
        query = query.where(Message.team_id.in_(team_ids))
    return db.session.scalars(query).all()


def fuller_answers_owed(team_ids):
    owed = select(Message).where(Message.fuller_answer_promised_at.is_not(None),
                                 Message.fuller_answer_sent_at.is_(None), Message.closed_at.is_(None))
    if team_ids is not None:
        owed = owed.where(Message.team_id.in_(team_ids))
    return db.session.scalars(owed.order_by(Message.fuller_answer_promised_at).limit(500)).all()


def team_names(team_ids):
    return dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(list(team_ids)))).all())


def feedback_themes(start, end, team_ids):
    """[(theme, n)] of the feedback received in [start, end) by the teams."""
    counted = (select(FeedbackTheme.theme, func.count()).join(Message)
               .where(Message.received_at >= start, Message.received_at < end,
                      Message.team_id.in_(list(team_ids))).group_by(FeedbackTheme.theme))
    return db.session.execute(counted).all()
