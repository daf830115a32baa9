"""The words and pictures of the demo site, as data.

The demo is a Somerset-style Youth Forum, drawn from the Somerset Safeguarding Children
Partnership's annual report for 2020–21 and retold in our own words (the report itself is never
read at run time). Everything here is plain data: ``services`` turns it into pages, images and
settings. To change what a newcomer sees, edit the data here and run ``load_demo`` again: pages
are matched by their slug and updated in place.

Stream bodies use Wagtail's raw StreamField format (``{"type": ..., "value": ...}``). Links to
other demo pages and demo images are written as :class:`PageRef` and :class:`ImageRef` and
resolved to ids when the page is saved, so this module needs no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# --- References resolved by the loader --------------------------------------------------------


@dataclass(frozen=True)
class PageRef:
    """A demo page, named by its key in :data:`PAGE_KEYS` order (``"films"``, ``"gp-film"``...)."""

    key: str


@dataclass(frozen=True)
class ImageRef:
    """A demo image, named by its :attr:`ImageSpec.key`."""

    key: str


def heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def quote(text: str, attribution: str = "Youth Forum member") -> dict:
    return {"type": "quote", "value": {"quote": text, "attribution": attribution}}


def image(key: str, alt_text: str) -> dict:
    return {
        "type": "image",
        "value": {"image": ImageRef(key), "alt_text": alt_text, "decorative": False},
    }


def call_to_action(heading_text: str, text: str, page: str, link_text: str) -> dict:
    return {
        "type": "call_to_action",
        "value": {
            "heading": heading_text,
            "text": text,
            "link_page": PageRef(page),
            "link_url": "",
            "link_text": link_text,
        },
    }


# --- Images -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageSpec:
    """A picture drawn with Pillow. Its ``title`` doubles as alt text in listings, so describe."""

    key: str
    title: str
    label: str
    colours: tuple[str, str]
    motif: str


IMAGES: tuple[ImageSpec, ...] = (
    ImageSpec(
        "about",
        "Illustration: speech bubbles in bright colours, one for every member's voice",
        "Somerset Youth Forum",
        ("#1d3557", "#2a9d8f"),
        "bubbles",
    ),
    ImageSpec(
        "executive",
        "Illustration: a video call, with six people each in their own square",
        "Meeting the Executive",
        ("#3a0ca3", "#4361ee"),
        "grid",
    ),
    ImageSpec(
        "safeguarding-week",
        "Illustration: a spotlight shining on a microphone on a stage",
        "Hearing the voices of young people",
        ("#6a040f", "#e85d04"),
        "spotlight",
    ),
    ImageSpec(
        "plan",
        "Illustration: a bar chart climbing to 2,500 young people",
        "2,500+ young people had their say",
        ("#005f73", "#0a9396"),
        "bars",
    ),
    ImageSpec(
        "films",
        "Illustration: a strip of film frames across a sunset",
        "Our new films",
        ("#5a189a", "#f48c06"),
        "filmstrip",
    ),
    ImageSpec(
        "forum-week",
        "Illustration: a calendar with five days in a row ringed",
        "Safeguarding forum week",
        ("#264653", "#e76f51"),
        "calendar",
    ),
    ImageSpec(
        "word-cloud",
        "Word cloud: what being a Youth Forum member means to us",
        "",
        ("#14213d", "#1b4965"),
        "wordcloud",
    ),
    ImageSpec(
        "gp-poster",
        "Poster for the film GP Safeguarding: a play button on blue",
        "GP Safeguarding",
        ("#023e8a", "#00b4d8"),
        "play",
    ),
    ImageSpec(
        "lado-poster",
        "Poster for the film What is a LADO?: a play button on deep red",
        "What is a LADO?",
        ("#370617", "#9d0208"),
        "play",
    ),
)

#: The words members used for "what being a member means", with how often each came up.
#: The word-cloud image is drawn from these and the news story lists them as its text version.
WORD_CLOUD_WORDS: tuple[tuple[str, int], ...] = (
    ("voice", 9),
    ("confidence", 8),
    ("friends", 7),
    ("challenge", 6),
    ("opinions", 6),
    ("difference", 5),
    ("films", 5),
    ("debates", 4),
    ("values", 4),
    ("community", 4),
    ("ideas", 3),
    ("fun", 3),
    ("experiences", 3),
    ("skills", 2),
    ("listening", 2),
    ("change", 2),
)

# --- Site and home page ----------------------------------------------------------------------

SITE_NAME = "Somerset Youth Forum"

SITE_SETTINGS = {
    "partnership_name": "Somerset Safeguarding Children Partnership",
    "forum_name": "Somerset Youth Forum",
    "contact_email": "youthforum@example.org",
    "emergency_message": "If you are in danger now, call 999.",
    "helplines": [
        {
            "type": "helpline",
            "value": {
                "name": "Childline",
                "contact": "0800 1111",
                "telephone": "08001111",
                "description": "Free and private, any time of day or night, about anything.",
            },
        },
        {
            "type": "helpline",
            "value": {
                "name": "Shout",
                "contact": "Text SHOUT to 85258",
                "telephone": "",
                "description": "Free text support, any time, if you are finding it hard to cope.",
            },
        },
    ],
}

HOME = {
    "slug": "home",
    "title": "Somerset Youth Forum",
    "introduction": (
        "<p>We are young people aged 10 to 18 from all over Somerset. We meet every term to talk "
        "about what matters to children and young people, and we make sure the adults in charge "
        "of keeping children safe – the council, the police and the NHS – hear it and act "
        "on it.</p>"
    ),
    "you_said_heading": "You said, we did",
    "you_said_text": (
        "You told the partnership's leaders that school has to feel safe and that help with "
        "mental health is hard to find. They promised to work more closely with schools and to "
        "improve support for young people's mental health and well-being."
    ),
}

# --- Section pages ---------------------------------------------------------------------------

NEWS_INDEX = {
    "slug": "news",
    "title": "News",
    "show_in_menus": True,
    "introduction": "<p>What the forum has been up to, who we have met and what changed.</p>",
}

FILMS_INDEX = {
    "slug": "films",
    "title": "Films",
    "show_in_menus": True,
    "introduction": (
        "<p>Films we made to help young people know where to turn. Every film has the full "
        "transcript on its page, so you can read it instead of watching.</p>"
    ),
}

EVENTS_INDEX = {
    "slug": "events",
    "title": "Meetings and events",
    "show_in_menus": True,
    "introduction": (
        "<p>We meet once a term on Zoom, and we join the partnership's safeguarding forum weeks "
        "in December and June. Members can see how to join when they sign in.</p>"
    ),
}

MEMBER_QUOTES: tuple[str, ...] = (
    "My ideas.",
    "Being able to challenge.",
    "Being part of the community.",
    "Helping change our world.",
    "My values.",
    "My voice, in the videos.",
    "Helping to make a difference.",
    "Discussions and debates.",
    "Being able to say what I think.",
    "My input into things.",
    "Making some friends.",
    "My opinion.",
    "Being the voice for the group.",
    "Gaining confidence.",
    "Opening my mouth!",
    "My experiences.",
)

ABOUT = {
    "slug": "about",
    "title": "About the Youth Forum",
    "summary": (
        "Who we are, what we do, and what our members are proud to have given to the forum."
    ),
    "show_in_menus": True,
    "body": [
        heading("Who we are"),
        paragraph(
            "<p>The Somerset Youth Forum is a group of young people aged 10 to 18 from across "
            "the county. We want to make things better for every child and young person in "
            "Somerset, whether they are at home, at school, online or out with their friends.</p>"
            "<p>We are part of the Somerset Safeguarding Children Partnership. That is the "
            "council, the police and the NHS working together to keep children safe.</p>"
        ),
        image("about", "Bright speech bubbles, one for every member's voice"),
        heading("What we do"),
        paragraph(
            "<ul>"
            "<li>We meet once a term, on Zoom, to talk about the things that matter to young "
            "people.</li>"
            "<li>We hold the three partners – Somerset County Council, Avon and Somerset "
            "Police and the NHS in Somerset – to account. We ask them hard questions and check "
            "that they keep their promises.</li>"
            "<li>We make films and resources, so young people know where to get help.</li>"
            "<li>We help the partnership ask other young people what they think, and make sure "
            "the answers are heard.</li>"
            "<li>We have fun, make friends and get more confident along the way.</li>"
            "</ul>"
        ),
        heading("What our members are proud of"),
        paragraph(
            "<p>At the end of the year we asked members: what are you proud to have given to "
            "the Youth Forum? Here is what they said.</p>"
        ),
        *(quote(text) for text in MEMBER_QUOTES),
        call_to_action(
            "Come along",
            "If you are 10 to 18 and live or go to school in Somerset, you can join us.",
            "events",
            "See our next meetings",
        ),
    ],
}

RESOURCES = {
    "slug": "resources",
    "title": "Help and resources",
    "summary": "Where to get help if you are worried about your safety or someone else's.",
    "show_in_menus": True,
    "body": [
        heading("If you are worried about your safety"),
        paragraph(
            "<p><b>If you are in danger right now, call 999.</b></p>"
            "<p>If something is worrying you, tell an adult you trust: a teacher, a youth "
            "worker, a school nurse, your doctor or someone in your family. You will not get "
            "into trouble for telling.</p>"
            "<p>You can talk to Childline for free on 0800 1111 at any time, or text SHOUT to "
            "85258 if you would rather write than talk.</p>"
        ),
        heading("Your doctor can help"),
        paragraph(
            "<p>Your GP is not just for coughs and jabs. You can ask to see them on your own "
            "and tell them if you do not feel safe. Our film explains what happens next.</p>"
        ),
        call_to_action(
            "GP Safeguarding",
            "Young people explain how your doctor can help.",
            "gp-film",
            "Watch the GP Safeguarding film",
        ),
        heading("Worried about an adult who works with children?"),
        paragraph(
            "<p>If a teacher, coach, youth worker or any other adult who works with children "
            "has hurt a child, or is behaving in a way that worries you, the council has a "
            "person whose job is to look into it: the LADO.</p>"
        ),
        call_to_action(
            "What is a LADO?",
            "Our film explains who the LADO is and what they do.",
            "lado-film",
            "Watch the LADO film",
        ),
        heading("Somerset's plan for children and young people"),
        paragraph(
            "<p>The council, police and NHS write a plan for children, young people and "
            "families in Somerset. More than 2,500 young people told them what should be in "
            "the next one, which starts in April 2022.</p>"
        ),
    ],
}

# --- News ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewsSpec:
    slug: str
    title: str
    date: date
    summary: str
    image: str
    tags: tuple[str, ...]
    body: list = field(default_factory=list)


NEWS: tuple[NewsSpec, ...] = (
    NewsSpec(
        slug="we-met-the-executive",
        title="We told the partnership's leaders what matters to us",
        date=date(2020, 10, 20),
        summary=(
            "In October 2020 we met the leaders of the council, the police and the NHS for the "
            "first time, and told them what young people in Somerset need."
        ),
        image="executive",
        tags=("Executive", "mental health", "safe schools", "transport"),
        body=[
            paragraph(
                "<p>This October we had our first conversation with the Executive: the three "
                "leaders who share the job of keeping Somerset's children safe. One comes from "
                "Somerset County Council, one from Avon and Somerset Police and one from the "
                "NHS. We met on Zoom, like everything else this year.</p>"
            ),
            heading("What we told them"),
            paragraph(
                "<ul>"
                "<li><b>Mental health and well-being.</b> Too many young people wait too long "
                "for help, or do not know where to ask.</li>"
                "<li><b>Physical health.</b> Lockdown made it harder to stay active and to see "
                "a doctor.</li>"
                "<li><b>Safe schools and colleges.</b> Knife crime and exploitation worry us, "
                "and school should be somewhere everyone feels safe.</li>"
                "<li><b>Transport.</b> If you live in a village, getting to college, work or "
                "help can mean one bus a day, or none.</li>"
                "<li><b>Life after COVID.</b> Going back to normal is hard, and young people "
                "need support to do it.</li>"
                "</ul>"
            ),
            heading("What they promised"),
            paragraph(
                "<p>The partners promised to work more closely with schools so that they are "
                "safe places to be, and to improve support for young people's mental health and "
                "well-being. We will keep asking them how it is going.</p>"
            ),
            quote("They actually listened, and they wrote things down.", "Youth Forum member, 15"),
        ],
    ),
    NewsSpec(
        slug="hearing-the-voices-of-young-people",
        title="We co-presented at Safeguarding week",
        date=date(2020, 12, 8),
        summary=(
            "Forum members helped lead a session for professionals called Hearing the Voices of "
            "Young People at Somerset's Safeguarding week in December 2020."
        ),
        image="safeguarding-week",
        tags=("Safeguarding week", "events"),
        body=[
            paragraph(
                "<p>In December the partnership held its Safeguarding week: a week of online "
                "sessions for people whose work keeps children safe, like teachers, nurses, "
                "social workers and police officers.</p>"
                "<p>We did not just watch. Members of the forum co-presented a session called "
                "<i>Learning and Good Practice: Hearing the Voices of Young People</i>, side by "
                "side with the professionals.</p>"
            ),
            heading("What we said"),
            paragraph(
                "<p>We talked about what it feels like when adults make decisions about you "
                "without asking you, and what it feels like when they really listen. We gave "
                "tips: explain things in plain words, tell young people what happens next, and "
                "come back to tell them what changed.</p>"
            ),
            quote(
                "I was nervous, but it felt amazing to be the one teaching the adults.",
                "Youth Forum member, 16",
            ),
        ],
    ),
    NewsSpec(
        slug="our-new-films",
        title="Watch our new films about GPs and the LADO",
        date=date(2021, 2, 15),
        summary=(
            "We have made two short films: one about how your doctor can help if you do not "
            "feel safe, and one about the LADO."
        ),
        image="films",
        tags=("films", "GP", "LADO"),
        body=[
            paragraph(
                "<p>Lots of young people told us they would not know who to tell if something "
                "was wrong. So we made two films to help.</p>"
                "<p><b>GP Safeguarding</b> explains that your family doctor is someone you can "
                "talk to if you do not feel safe, and what happens when you do.</p>"
                "<p><b>What is a LADO?</b> explains the Local Authority Designated Officer: the "
                "person at the council who looks into worries about adults who work with "
                "children.</p>"
                "<p>We wrote the scripts, we are the voices, and both films have full "
                "transcripts.</p>"
            ),
            call_to_action(
                "Our films", "Both films, with transcripts.", "films", "Watch our films"
            ),
        ],
    ),
    NewsSpec(
        slug="2500-young-people-have-their-say",
        title="More than 2,500 young people have their say on Somerset's plan",
        date=date(2021, 3, 25),
        summary=(
            "Over 2,500 children and young people helped shape the next plan for children, "
            "young people and families in Somerset, even in the middle of a pandemic."
        ),
        image="plan",
        tags=("consultation", "Children and Young People's Plan"),
        body=[
            paragraph(
                "<p>One of our biggest jobs this year was helping with the consultation for the "
                "next Children and Young People's Plan. The plan says what the council, the "
                "police and the NHS will do for children and families in Somerset.</p>"
                "<p>With schools closed and everyone at home, getting young people to take part "
                "was not easy. We spread the word in our schools, clubs and group chats, and "
                "more than 2,500 children and young people had their say.</p>"
            ),
            heading("What happens next"),
            paragraph(
                "<p>The partnership is writing the new plan now, using what young people said "
                "and what the Youth Forum told them. It starts in April 2022, and we will check "
                "that your answers are in it.</p>"
            ),
        ],
    ),
    NewsSpec(
        slug="safeguarding-forum-week-june-2021",
        title="Safeguarding forum week, June 2021",
        date=date(2021, 6, 21),
        summary=(
            "The partnership's second safeguarding forum week brought professionals together "
            "online, and young people's views were part of it again."
        ),
        image="forum-week",
        tags=("forum week", "events"),
        body=[
            paragraph(
                "<p>In June the partnership ran another safeguarding forum week: a week of "
                "online sessions where people who work with children share what they have "
                "learned and get to know each other's teams.</p>"
                "<p>Our films were shown during the week, and we shared what young people had "
                "told us this year about feeling safe at school and getting help with mental "
                "health.</p>"
            ),
            paragraph(
                "<p>The next forum week is in December. If you are a member, you will find how "
                "to join on our events page when you sign in.</p>"
            ),
            call_to_action(
                "Meetings and events", "When we meet next.", "events", "See upcoming events"
            ),
        ],
    ),
    NewsSpec(
        slug="a-word-cloud-for-the-executive",
        title="A word cloud for the Executive",
        date=date(2021, 7, 12),
        summary=(
            "We met the partnership's leaders again to show them what we achieved this year, "
            "and made a word cloud of what being a member means to us."
        ),
        image="word-cloud",
        tags=("Executive", "word cloud"),
        body=[
            paragraph(
                "<p>We met the three Executive partners again to show them everything we have "
                "done this year: the films, the consultation, Safeguarding week and more.</p>"
                "<p>We also asked every member what being part of the forum means to them, and "
                "turned the answers into a word cloud. The bigger the word, the more people "
                "said it.</p>"
            ),
            image("word-cloud", "Word cloud of what being a Youth Forum member means to us"),
            heading("The words in the cloud"),
            paragraph(
                "<p>From most to least often said: "
                + ", ".join(f"{word} ({count})" for word, count in WORD_CLOUD_WORDS)
                + ".</p>"
            ),
        ],
    ),
)

# --- Films -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilmSpec:
    key: str
    slug: str
    title: str
    summary: str
    video_url: str
    poster: str
    poster_alt: str
    duration: timedelta
    age_guidance: str
    transcript: str


FILMS: tuple[FilmSpec, ...] = (
    FilmSpec(
        key="gp-film",
        slug="gp-safeguarding",
        title="GP Safeguarding: your doctor can help",
        summary=(
            "Forum members explain how your GP can help if you do not feel safe, and what "
            "happens when you tell them."
        ),
        # A placeholder: replace with the real address when the film is uploaded.
        video_url="https://www.youtube.com/watch?v=Yf0rGPsafe1",
        poster="gp-poster",
        poster_alt="A play button on a blue background, above the words GP Safeguarding",
        duration=timedelta(minutes=4, seconds=10),
        age_guidance="all",
        transcript=(
            "<p><i>[Music. On screen: GP Safeguarding, made by the Somerset Youth Forum.]</i></p>"
            "<p><b>Maya:</b> Hi, we're from the Somerset Youth Forum. We made this film because "
            "loads of young people told us they only think about their GP when they've got a "
            "cough or need a jab.</p>"
            "<p><b>Josh:</b> But your GP, your family doctor, is also someone you can talk to "
            "if something at home, at school or online is making you feel unsafe.</p>"
            "<p><b>Maya:</b> You can book an appointment yourself. And if you don't want to "
            "talk in front of your mum or dad or whoever brings you, you can ask to see the "
            "doctor on your own.</p>"
            "<p><b>Aisha:</b> What you say stays private. The only time a doctor will share it "
            "is if they think you, or someone else, could be seriously hurt. Even then they "
            "should tell you first, and explain who they are telling and why.</p>"
            "<p><b>Josh:</b> Doctors and nurses are trained to notice when something isn't "
            "right. They work with school nurses, social workers and the police, so they know "
            "who can help, and they won't leave you to sort it out on your own.</p>"
            "<p><b>Aisha:</b> If it's hard to say out loud, you can write it down and hand it "
            "over. Or just say, \"I'm worried about something at home.\" That's enough to "
            "start.</p>"
            "<p><b>Maya:</b> And if you're in danger right now, call 999. You can talk to "
            "Childline any time on 0800 1111.</p>"
            "<p><i>[On screen: Thank you for watching. Somerset Safeguarding Children "
            "Partnership.]</i></p>"
        ),
    ),
    FilmSpec(
        key="lado-film",
        slug="what-is-a-lado",
        title="What is a LADO?",
        summary=(
            "Who the Local Authority Designated Officer is, and what happens when an adult who "
            "works with children might not be safe."
        ),
        # A placeholder: replace with the real address when the film is uploaded.
        video_url="https://vimeo.com/501234567",
        poster="lado-poster",
        poster_alt="A play button on a deep red background, above the words What is a LADO?",
        duration=timedelta(minutes=5, seconds=20),
        age_guidance="10+",
        transcript=(
            "<p><i>[Music. On screen: What is a LADO? Made by the Somerset Youth Forum.]</i></p>"
            "<p><b>Ellie:</b> LADO. It sounds like a character in a video game, but it stands "
            "for Local Authority Designated Officer.</p>"
            "<p><b>Sam:</b> Every council has one. Their job is to look into worries about "
            "adults who work or volunteer with children: teachers, sports coaches, youth "
            "workers, foster carers, drivers, anyone.</p>"
            "<p><b>Ellie:</b> If one of those adults has hurt a child, might have committed a "
            "crime against a child, or has behaved in a way that shows they might not be safe "
            "around children, the LADO needs to know.</p>"
            "<p><b>Priya:</b> Usually it's the adult's employer, or another professional, who "
            "tells the LADO. But anyone can, including you, or your parent or carer.</p>"
            "<p><b>Sam:</b> The LADO doesn't sort everything out alone. They bring the right "
            "people together, like the police, children's social care and the employer, and "
            "make sure the worry is looked into properly and fairly.</p>"
            "<p><b>Priya:</b> While that happens, their first job is making sure children are "
            "safe. It's fair to the adult too: they get to give their side.</p>"
            "<p><b>Ellie:</b> If something has happened to you or a friend, tell an adult you "
            "trust. They will know how to reach the LADO. You will not be in trouble.</p>"
            "<p><b>Sam:</b> And remember, you can call Childline on 0800 1111, or 999 if "
            "you're in danger now.</p>"
            "<p><i>[On screen: Thank you for watching. Somerset Safeguarding Children "
            "Partnership.]</i></p>"
        ),
    ),
)

# --- Events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventSpec:
    slug: str
    title: str
    kind: str
    start: datetime  # naive, in the site's time zone
    end: datetime
    attendance: str
    place: str
    summary: str
    body: list
    joining_details: str


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``th ``weekday`` (Monday is 0) of a month, e.g. the second Tuesday of October."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _zoom_details(slug: str) -> str:
    meeting_id = 80_000_000_000 + sum(ord(c) * 7919**i for i, c in enumerate(slug)) % 10**9
    number = f"{meeting_id:011d}"
    link = f"https://zoom.example.org/j/{number}"
    return (
        f'<p>Join on Zoom: <a href="{link}">{link}</a></p>'
        f"<p>Meeting ID: {number[:3]} {number[3:7]} {number[7:]}. Passcode: forum</p>"
        "<p>A facilitator lets you in from the waiting room. Use your first name only.</p>"
    )


def _academic_year_events(year: int) -> list[EventSpec]:
    """The forum's year from September ``year``: three termly meetings and two forum weeks."""
    meetings = (
        ("autumn", 10, year, "Autumn"),
        ("spring", 2, year + 1, "Spring"),
        ("summer", 5, year + 1, "Summer"),
    )
    events = []
    for term, month, in_year, label in meetings:
        day = _nth_weekday(in_year, month, 1, 2)  # second Tuesday
        slug = f"forum-meeting-{term}-{in_year}"
        events.append(
            EventSpec(
                slug=slug,
                title=f"{label} term forum meeting {in_year}",
                kind="meeting",
                start=datetime.combine(day, time(17, 30)),
                end=datetime.combine(day, time(19, 0)),
                attendance="online",
                place="Online (Zoom)",
                summary=(
                    "Our termly meeting: catch up, plan what we ask the partnership next, and "
                    "hear back on what they promised."
                ),
                body=[
                    paragraph(
                        "<p>Every member is welcome, and you do not have to speak if you would "
                        "rather listen. Cameras on or off, whatever you are comfortable "
                        "with.</p>"
                    )
                ],
                joining_details=_zoom_details(slug),
            )
        )
    for month, in_year in ((12, year), (6, year + 1)):
        monday = _nth_weekday(in_year, month, 0, 1)
        month_name = "December" if month == 12 else "June"
        slug = f"safeguarding-forum-week-{month_name.lower()}-{in_year}"
        events.append(
            EventSpec(
                slug=slug,
                title=f"Safeguarding forum week, {month_name} {in_year}",
                kind="forum-week",
                start=datetime.combine(monday, time(9, 30)),
                end=datetime.combine(monday + timedelta(days=4), time(16, 0)),
                attendance="online",
                place="Online",
                summary=(
                    "A week of online sessions for people who keep children safe. Forum "
                    "members join in, share what young people told us and ask questions."
                ),
                body=[
                    paragraph(
                        "<p>You can drop into as many or as few sessions as you like. A "
                        "facilitator will be there with you in each one.</p>"
                    )
                ],
                joining_details=_zoom_details(slug),
            )
        )
    return events


def demo_events(*, today: date, horizon: timedelta = timedelta(days=365)) -> list[EventSpec]:
    """Meetings and forum weeks within ``horizon`` of ``today``, so some are past, some to come.

    There are five a year, so a year either side always holds both. Loading the demo later adds
    the newly near events and keeps the old ones as history.
    """
    academic_year = today.year if today.month >= 9 else today.year - 1
    events = [
        event
        for year in (academic_year - 1, academic_year, academic_year + 1)
        for event in _academic_year_events(year)
    ]
    return [event for event in events if abs(event.start.date() - today) <= horizon]
