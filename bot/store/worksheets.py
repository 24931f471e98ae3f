"""Saving and reading worksheets (encrypted answers) and handoffs.

No member text is ever logged here: errors name the failure's type only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot import worksheet
from bot.store import encryption, session_scope
from bot.store.models import Handoff, Worksheet, WorksheetAnswer

logger = logging.getLogger(__name__)
CODE_ATTEMPTS = 5


class SaveFailed(RuntimeError):
    """The worksheet could not be saved; nothing partial was written."""


@dataclass(frozen=True)
class SavedWorksheet:
    code: str
    channel: str
    language: str
    complete: bool
    created_at: datetime
    answers: Dict[str, Optional[str]]  # question -> text, SKIPPED, or None


def save(
    sender_id: str,
    channel: str,
    language: str,
    answers: Dict[str, Optional[str]],
    handoff: bool = False,
) -> str:
    """Encrypt and store the answers in one transaction; return the new code.

    With `handoff`, the handoff to the phone line is recorded in the same
    transaction (both or neither)."""
    complete = all(answers.get(q) is not None for q in worksheet.QUESTIONS)
    for _ in range(CODE_ATTEMPTS):
        code = worksheet.new_code()
        try:
            with session_scope() as session:
                record = Worksheet(
                    code=code,
                    sender_id=sender_id[:128],
                    channel=channel[:32],
                    language=language[:8],
                    complete=complete,
                )
                for position, question in enumerate(worksheet.QUESTIONS):
                    value = answers.get(question)
                    if value is None:
                        continue
                    skipped = value == worksheet.SKIPPED
                    record.answers.append(
                        WorksheetAnswer(
                            question=question,
                            position=position,
                            skipped=skipped,
                            ciphertext=None
                            if skipped
                            else encryption.encrypt(worksheet.cap(value)),
                        )
                    )
                session.add(record)
                if handoff:
                    session.add(Handoff(code=code, sender_id=sender_id[:128], channel=channel[:32]))
            return code
        except IntegrityError:
            continue  # the random code was taken: draw another
        except (SQLAlchemyError, encryption.KeyMissing) as error:
            logger.error("worksheet save failed: %s", type(error).__name__)
            raise SaveFailed(type(error).__name__) from None
    logger.error("worksheet save failed: no free code after %d tries", CODE_ATTEMPTS)
    raise SaveFailed("no free code")


def load(code: str) -> Optional[SavedWorksheet]:
    """The worksheet with this code, decrypted; None if there is none."""
    normalized = worksheet.normalize_code(code)
    if normalized is None:
        return None
    with session_scope() as session:
        record = session.execute(
            select(Worksheet).where(Worksheet.code == normalized)
        ).scalar_one_or_none()
        if record is None:
            return None
        answers: Dict[str, Optional[str]] = {q: None for q in worksheet.QUESTIONS}
        for answer in record.answers:
            answers[answer.question] = (
                worksheet.SKIPPED if answer.skipped else encryption.decrypt(answer.ciphertext)
            )
        return SavedWorksheet(
            record.code,
            record.channel,
            record.language,
            record.complete,
            record.created_at,
            answers,
        )


def delete_by_code(code: str) -> bool:
    normalized = worksheet.normalize_code(code)
    if normalized is None:
        return False
    with session_scope() as session:
        result = session.execute(delete(Worksheet).where(Worksheet.code == normalized))
        session.execute(delete(Handoff).where(Handoff.code == normalized))
        return result.rowcount > 0


def record_handoff(sender_id: str, channel: str, code: Optional[str]) -> bool:
    """Note that the member was sent to the phone line. Never raises."""
    try:
        with session_scope() as session:
            session.add(Handoff(code=code, sender_id=sender_id[:128], channel=channel[:32]))
        return True
    except SQLAlchemyError as error:
        logger.error("handoff could not be recorded: %s", type(error).__name__)
        return False


def handoffs_for(code: str) -> List[Handoff]:
    with session_scope() as session:
        return list(
            session.execute(
                select(Handoff).where(Handoff.code == code).order_by(Handoff.created_at)
            ).scalars()
        )
