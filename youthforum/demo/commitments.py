"""Demo "You said, we did": the partners' promises in answer to the two demo consultations.

Written for the demo in the spirit of what the partnership's Executive heard from young people
(feeling safe getting around, mental health support at school, somewhere to go): who owns each
promise, when it is due and how far it has got, with a little feedback from young people so the
dashboard has figures. Found by their wording, so a second ``load_demo`` changes nothing.

So that "Closing the loop" on the Executive dashboard has something to show, the closed members'
consultation gets a small codebook of its own (:data:`MEMBER_THEMES`, every answer coded by "a
facilitator" from its words): two of its top themes are answered by a promise, two still need
one, and one of its promises is overdue.
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
from consultations.themes.models import Codebook, HumanCoding, Theme
from consultations.themes.services.theme_coding import codable_answers

MEMBERS_SLUG = "what-being-a-member-means"
MEMBER_CODEBOOK_NAME = "Being a member themes"
#: The members' consultation's themes, and the words of its answers that raise each.
MEMBER_THEMES: dict[str, tuple[str, ...]] = {
    "Being heard": ("my voice", "giving my opinion", "being listened to", "able to challenge"),
    "Confidence and skills": ("confidence", "new skills", "my experiences", "my values"),
    "Friends and fun": ("making friends", "having fun", "part of the community"),
    "Making a difference": (
        "making a difference",
        "change things",
        "our films",
        "sharing ideas",
        "debates",
    ),
}


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
    theme: str = ""  # a theme of MEMBER_THEMES, or none: about the whole consultation


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
        theme="Being heard",
    ),
    DemoCommitment(
        "what-being-a-member-means",
        "You told us the forum has given you confidence and new skills, and you want to be "
        "able to show them.",
        "We will give every member a certificate of the skills they have gained at the forum, "
        "to use in college and job applications.",
        Partner.COUNCIL,
        "Participation Lead, county council",
        -21,  # overdue: "Closing the loop" shows it, and the reminders list it
        CommitmentStatus.IN_PROGRESS,
        updates=((-60, "Members agreed the wording of the certificate at the summer meeting."),),
        feedback=(3, 1, 0),
        theme="Confidence and skills",
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


def demo_member_themes_build(consultation: ConsultationPage) -> dict[str, Theme]:
    """Give the members' consultation its codebook, and code each of its answers by its words
    (once: an existing codebook and its codings are kept)."""
    codebook = Codebook.objects.filter(consultation=consultation).first()
    if codebook is None:
        # A demo reset deletes the consultation, leaving its codebook without one: tidy it away.
        Codebook.objects.filter(
            name=MEMBER_CODEBOOK_NAME, consultation__isnull=True, is_starter=False
        ).delete()
        codebook = Codebook.objects.create(
            name=MEMBER_CODEBOOK_NAME,
            description="What members said being part of the Youth Forum means to them.",
            consultation=consultation,
        )
    themes = {}
    for n, name in enumerate(MEMBER_THEMES):
        themes[name], _created = Theme.objects.get_or_create(
            codebook=codebook, name=name, defaults={"sort_order": n}
        )
    if not HumanCoding.objects.filter(codebook=codebook).exists():
        for answer in codable_answers(codebook).order_by("pk"):
            text = answer.redacted_text.lower()
            chosen = [
                themes[name]
                for name, words in MEMBER_THEMES.items()
                if any(word in text for word in words)
            ]
            if chosen:
                HumanCoding.objects.create(answer=answer, codebook=codebook).themes.set(chosen)
    return themes


def demo_commitments_build(consultations: dict[str, ConsultationPage]) -> int:
    """Create the demo promises that are missing; returns how many were created."""
    today = timezone.localdate()
    members = consultations.get(MEMBERS_SLUG)
    themes = demo_member_themes_build(members) if members is not None else {}
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
            theme=themes.get(spec.theme) if spec.theme else None,
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
