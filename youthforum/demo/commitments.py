"""Demo "You said, we did": the partners' promises in answer to the two demo consultations.

Written for the demo in the spirit of what the partnership's Executive heard from young people
(feeling safe getting around, mental health support at school, somewhere to go): who owns each
promise, when it is due and how far it has got, with a little feedback from young people so the
dashboard has figures. Found by their wording, so a second ``load_demo`` changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from consultations.commitments.models import (
    Commitment,
    CommitmentFeedback,
    CommitmentStatus,
    Partner,
    ProgressUpdate,
)
from consultations.models import ConsultationPage


@dataclass(frozen=True)
class DemoCommitment:
    consultation: str  # slug
    you_said: str
    we_will: str
    partner: str
    lead: str
    due_in_days: int
    status: str
    reason: str = ""
    updates: tuple[tuple[int, str], ...] = ()  # (days from today, what happened)
    feedback: tuple[int, int, int] = (0, 0, 0)  # yes, partly, no


COMMITMENTS = (
    DemoCommitment(
        "what-being-a-member-means",
        "You told us the forum gives you confidence, but that meetings after school are hard "
        "to get to without a lift.",
        "We will pay bus fares for every member coming to a forum meeting, and hold one meeting "
        "a term online.",
        Partner.COUNCIL,
        "Participation Lead, county council",
        -30,
        CommitmentStatus.DONE,
        updates=(
            (-90, "Bus fares agreed with the finance team."),
            (-35, "The first online meeting was held; 14 members joined."),
        ),
        feedback=(9, 3, 1),
    ),
    DemoCommitment(
        "what-being-a-member-means",
        "You said you want to see what happens after you speak to the Executive.",
        "We will come back to the forum every six months to say what we did with what you told us.",
        Partner.ALL,
        "Chair of the Safeguarding Children Partnership",
        120,
        CommitmentStatus.IN_PROGRESS,
        updates=((-20, "First report back given at the autumn forum meeting."),),
        feedback=(5, 4, 2),
    ),
    DemoCommitment(
        "children-and-young-peoples-plan",
        "You told us you do not feel safe walking home from the bus stop after dark.",
        "We will check the street lighting on the routes young people named and fix the worst "
        "ten places.",
        Partner.COUNCIL,
        "Head of Highways",
        150,
        CommitmentStatus.PLANNED,
    ),
    DemoCommitment(
        "children-and-young-peoples-plan",
        "You said you want someone to talk to about your mental health at school, without a "
        "long wait.",
        "We will put a mental health support worker in every secondary school, with drop-in "
        "times every week.",
        Partner.HEALTH,
        "Children's Mental Health Commissioner",
        300,
        CommitmentStatus.IN_PROGRESS,
        updates=((-10, "Twelve of the thirty schools now have a named worker."),),
    ),
    DemoCommitment(
        "children-and-young-peoples-plan",
        "You asked for police officers to stop and search fewer young people in town centres.",
        "We will not change how often officers stop and search, but we will publish the numbers "
        "every three months and explain them at the Youth Forum.",
        Partner.POLICE,
        "Chief Inspector, Neighbourhood Policing",
        90,
        CommitmentStatus.NOT_DOING,
        reason="Stop and search is set by national law and guidance, so we cannot promise fewer "
        "stops; we can be open about how it is used.",
    ),
)


def demo_commitments_build(consultations: dict[str, ConsultationPage]) -> int:
    """Create the demo promises that are missing; returns how many were created."""
    today = timezone.localdate()
    created = 0
    for spec in COMMITMENTS:
        page = consultations.get(spec.consultation)
        if (
            page is None
            or Commitment.objects.filter(consultation=page, we_will=spec.we_will).exists()
        ):
            continue
        commitment = Commitment.objects.create(
            consultation=page,
            you_said=spec.you_said,
            we_will=spec.we_will,
            partner=spec.partner,
            lead=spec.lead,
            due_date=today + timedelta(days=spec.due_in_days),
            status=spec.status,
            reason=spec.reason,
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                commitment=commitment, date=today + timedelta(days=days), text=text, sort_order=n
            )
            for n, (days, text) in enumerate(spec.updates)
        )
        yes, partly, no = spec.feedback
        CommitmentFeedback.objects.bulk_create(
            [
                CommitmentFeedback(commitment=commitment, answer=a)
                for a, n in (("yes", yes), ("partly", partly), ("no", no))
                for _ in range(n)
            ]
        )
        created += 1
    return created
