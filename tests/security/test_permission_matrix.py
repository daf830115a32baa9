"""Who may get every staff page and every download: the permission matrix (issue 12, part 8).

``MATRIX`` has one row per URL pattern under ``YOUTHVOICE_STAFF_PATH_PREFIXES`` whose view is
the project's own, and per download URL anywhere. Each row is tried as a stranger, a Youth Forum
member, and each staff role both with and without a second factor used in the session:

- "may" means the view's normal answer (200 unless the row says otherwise);
- "may not" means sent to sign in, to set up or use the second factor, or away with "no
  permission" (403, 404, or Wagtail's redirect to the dashboard): never the content;
- staff whose session has not used their second factor are always sent to use it, on every path
  under the staff prefixes, whatever the row says.

Wagtail's own admin views are covered by a rule (every one of them is shut to strangers, members
and staff without the second factor) and a sample of them in ``WAGTAIL_SAMPLE``.

A new URL without a row fails ``test_every_staff_and_download_url_has_a_row``. To add one, add a
line to ``MATRIX``: the URL's name (or its route, if it has none), who may get it, and what goes
in any blank the world below cannot fill, naming a ``World`` attribute::

    "report_export_file": row(ADMIN, pk="export"),
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail_factories import DocumentFactory

from consultations.models import ImportBatch, ImportJob
from consultations.reports.models import Population, ReportExport
from consultations.reports.year import Year
from consultations.services import RawAnswer, submit_response
from consultations.themes.models import Codebook, Theme
from tests.consultations.safeguarding.support import make_concern
from tests.factories import make_consultation
from tests.youthforum.accounts.support import add_totp, make_user, sign_in_with_second_factor
from youthforum.accounts import roles

from .resolver import Endpoint, endpoints, is_under

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
MEMBER = "member"
FACILITATOR = "facilitator"
LEAD = "safeguarding lead"
EXECUTIVE = "executive partner"
ADMIN = "admin"
STAFF_ROLES = (FACILITATOR, LEAD, EXECUTIVE, ADMIN)
EVERYONE = (ANONYMOUS, MEMBER, *STAFF_ROLES)
# The design's groupings (docs/DESIGN.md, "People and what each may see").
FACILITATORS = (FACILITATOR, ADMIN)
LEADS = (LEAD, ADMIN)
REPORT_READERS = (FACILITATOR, EXECUTIVE, ADMIN)

# A POST-only action tried with GET: those who may get past its permission check to "method not
# allowed"; everyone else is refused first. What the action does has its own tests.
POST_ONLY = 405
# Download URLs outside the staff prefixes that still need a row: names and routes like these
# (files by extension, anything called a download, export or file, and Wagtail's documents).
DOWNLOAD = re.compile(
    r"download|export|/file$|\.(csv|xlsx|pdf|png|svg|zip|json|txt|<str:\w+>)\$?$|^documents/\^"
)


@dataclass(frozen=True)
class Row:
    may: frozenset[str]
    ok: tuple[int, ...] = (200,)
    blanks: dict[str, str] = field(default_factory=dict)


def row(*who: str, ok: int | tuple[int, ...] = 200, **blanks: str) -> Row:
    """Who may get the URL; ``ok``: the status(es) they get; ``blanks``: blank → ``World``
    attribute whose ``pk`` goes in it."""
    unknown = set(who) - set(EVERYONE)
    assert not unknown, f"Unknown people {unknown}: use {EVERYONE}"
    return Row(frozenset(who), ok if isinstance(ok, tuple) else (ok,), blanks)


MATRIX: dict[str, Row] = {
    # Sign-in is allauth's: the admin's own sign-in address only redirects there.
    "admin/login/": row(),
    "admin/test404/": row(*STAFF_ROLES),
    # The page editor's reading-age figure (easy read): any admin user; it stores nothing.
    "consultations_reading_age": row(*STAFF_ROLES, ok=POST_ONLY),
    # The safeguarding queue: Safeguarding leads and admins.
    "safeguarding:index": row(*LEADS),
    "safeguarding:index_results": row(*LEADS),
    "safeguarding:detail": row(*LEADS, pk="concern"),
    "safeguarding:whole_response": row(*LEADS, pk="concern"),
    "safeguarding:status": row(*LEADS, ok=POST_ONLY, pk="concern"),
    "safeguarding:severity": row(*LEADS, ok=POST_ONLY, pk="concern"),
    "safeguarding:category": row(*LEADS, ok=POST_ONLY, pk="concern"),
    "safeguarding:assign": row(*LEADS, ok=POST_ONLY, pk="concern"),
    "safeguarding:release": row(*LEADS, ok=POST_ONLY, pk="concern"),
    "safeguarding:withhold": row(*LEADS, ok=POST_ONLY, pk="concern"),
    # Answers, imports, word clouds and coding in the admin: Facilitators and admins.
    "consultations:index": row(*FACILITATORS),
    "consultations:index_results": row(*FACILITATORS),
    "consultations:overview": row(*FACILITATORS),  # a consultation's workspace, first tab
    "consultations:responses": row(*FACILITATORS),
    "consultations:responses_results": row(*FACILITATORS),
    "consultations:response": row(*FACILITATORS),
    "consultations:import": row(*FACILITATORS),
    # Someone else's pending import: a Facilitator is sent back to upload; an admin sees it.
    "consultations:import_preview": row(*FACILITATORS, ok=(200, 302), job_id="job"),
    "consultations:import_cancel": row(*FACILITATORS, ok=POST_ONLY, job_id="job"),
    "consultations:imports": row(*FACILITATORS),
    "consultations:undo_import": row(*FACILITATORS),
    "consultations:word_cloud": row(*FACILITATORS),
    "consultations:word_cloud_png": row(*FACILITATORS),
    "consultations:word_cloud_svg": row(*FACILITATORS),
    "themes:coding": row(*FACILITATORS),
    "themes:coding_status": row(*FACILITATORS),
    "themes:coding_retrain": row(*FACILITATORS, ok=POST_ONLY),
    "themes:quality": row(*FACILITATORS),
    "themes:gold": row(*FACILITATORS),
    "themes:discovery": row(*FACILITATORS),
    "themes:themed_summary": row(*FACILITATORS),
    "wagtailsnippets_themes_codebook:copy": row(*FACILITATORS, pk="codebook"),
    # Population figures: Facilitators and admins import; report readers see them.
    "wagtailsnippets_reports_population:import": row(*FACILITATORS),
    "wagtailsnippets_reports_population:list": row(*REPORT_READERS),
    "wagtailsnippets_reports_population:list_results": row(*REPORT_READERS),
    "wagtailsnippets_reports_population:inspect": row(*REPORT_READERS, pk="population"),
    # The Executive's reports and their downloads: Executive partners, Facilitators, admins.
    "reports_dashboard": row(*REPORT_READERS),
    "year_index": row(*REPORT_READERS),
    "year_review": row(*REPORT_READERS),
    "year_review_xlsx": row(*REPORT_READERS),
    "report": row(*REPORT_READERS),
    "report_compare": row(*REPORT_READERS),
    "report_word_cloud": row(*REPORT_READERS),
    "report_pdf": row(*REPORT_READERS),
    "report_xlsx": row(*REPORT_READERS),
    "report_csv": row(*REPORT_READERS),
    # A background export is its requester's (here someone else's) or an admin's.
    "report_export": row(ADMIN, pk="export"),
    "report_export_file": row(ADMIN, pk="export"),
    # Downloads outside the staff areas.
    "wagtaildocs_serve": row(*EVERYONE),  # a document in a public collection
    # Nobody: allauth asks everyone to confirm who they are again before handing out their
    # own codes (members here have none), and staff must have used their second factor.
    "mfa_download_recovery_codes": row(),
}

# Wagtail's own admin, beyond the rule that shuts all of it: a sample of who may use what.
WAGTAIL_SAMPLE: dict[str, Row] = {
    "wagtailadmin_home": row(*STAFF_ROLES),
    "wagtailadmin_pages:edit": row(*FACILITATORS, page_id="home"),
    "wagtailusers_users:index": row(ADMIN),
    "wagtailsnippets_commitments_commitment:list": row(*REPORT_READERS),
    "wagtailsnippets_themes_codebook:list": row(*FACILITATORS),
    "wagtailsnippets_consultations_analysisoptions:list": row(*FACILITATORS),
    "wagtaildocs:index": row(*FACILITATORS),
    "wagtailimages:index": row(*FACILITATORS),
}


# Wagtail admin URLs the rule leaves open, and why.
WAGTAIL_OPEN = {
    "wagtailadmin_sprite": "the admin's icons: a static SVG, no data",
    "wagtailadmin_javascript_catalog": "the admin's JavaScript translations: static, no data",
    "wagtailadmin_logout": "signing out (POST only), open so staff can always leave",
}


# What the URLs point at ---------------------------------------------------------------------------

SAFER = "What would make you feel safer?"
AGE = "How old are you?"
AREA = "Where do you live?"


@dataclass
class World:
    """One of everything the staff pages show, for the blanks in their URLs."""

    home: object
    consultation: object
    response: object
    concern: object
    batch: object
    job: object
    codebook: object
    export: object
    document: object
    population: object
    year: str

    def blanks(self, endpoint: Endpoint, overrides: dict[str, str]) -> dict[str, object]:
        """Values for the URL's blanks: the row's own, else the usual ones by blank name."""
        usual = {
            "slug": self.consultation.slug,
            "page_id": self.consultation.pk,
            "response_id": self.response.pk,
            "batch_id": self.batch.pk,
            "label": self.year,
            "fmt": "svg",
        }
        values = {}
        for name, _kind in endpoint.params:
            if name in overrides:
                values[name] = getattr(self, overrides[name]).pk
            elif name in usual:
                values[name] = usual[name]
            else:
                pytest.fail(
                    f"{endpoint.key}: say in its MATRIX row what goes in <{name}>, "
                    f"e.g. {name}='concern' (a World attribute)"
                )
        return values

    def url(self, endpoint: Endpoint, table_row: Row) -> str:
        if endpoint.name == "wagtaildocs_serve":
            return reverse(endpoint.name, args=[self.document.pk, self.document.filename])
        url = endpoint.build(self.blanks(endpoint, table_row.blanks))
        assert url, f"{endpoint.key}: could not build its URL from {table_row}"
        return url


@pytest.fixture
def world(home, django_capture_on_commit_callbacks, monkeypatch, tmp_path) -> World:
    # Wagtail serves documents from a file on disk (sendfile), which test.py's in-memory storage
    # cannot give it. Only the documents' field is pointed at a folder: changing STORAGES would
    # give every other storage a new instance too, which their models' fields would not see.
    monkeypatch.setattr(
        get_document_model()._meta.get_field("file"),
        "storage",
        FileSystemStorage(location=str(tmp_path)),
    )
    consultation = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    by_text = {q.text: q for q in consultation.ordered_questions()}
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            submit_response(
                consultation=consultation,
                answers={
                    by_text[SAFER].pk: RawAnswer.of("Better street lights near the park"),
                    by_text[AGE].pk: RawAnswer.of("13 to 15"),
                    by_text[AREA].pk: RawAnswer.of("Mendip"),
                },
                token=uuid.uuid4(),
                source="online",
                submitted_at=timezone.now(),
            ).response
            for _young_person in range(12)
        ]
    codebook = Codebook.objects.create(name="Feeling safe themes", consultation=consultation)
    Theme.objects.create(codebook=codebook, name="Lighting", sort_order=0)
    export = ReportExport.objects.create(
        consultation=consultation,
        requested_by=make_user(roles=[roles.EXECUTIVE_PARTNERS], email="owner@example.org"),
        kind="pdf",
        status="done",
    )
    export.file.save("report.pdf", ContentFile(b"%PDF-1.4 the answers"))
    job = ImportJob.objects.create(
        page=consultation,
        uploaded_by=make_user(roles=[roles.FACILITATORS], email="uploader@example.org"),
        source="paper",
        filename="visit.csv",
        expires_at=timezone.now() + timedelta(days=1),
    )
    return World(
        home=home,
        consultation=consultation,
        response=responses[0],
        concern=make_concern(consultation, text="my step dad hits me"),
        batch=ImportBatch.objects.create(page=consultation, source="paper", filename="visit.csv"),
        job=job,
        codebook=codebook,
        export=export,
        document=DocumentFactory(),
        population=Population.objects.create(source="Census 2021", year=2021),
        year=Year.containing(timezone.localdate()).label,
    )


# Who asks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asker:
    role: str
    second_factor: bool = True

    def __str__(self):
        return self.role if self.second_factor else f"{self.role} without the second factor"


ASKERS = [
    Asker(ANONYMOUS),
    Asker(MEMBER),
    *(Asker(role, second_factor=used) for role in STAFF_ROLES for used in (True, False)),
]


@pytest.fixture
def people(db) -> dict[str, object]:
    """One person per role; staff have an authenticator app and recovery codes."""
    found = {
        MEMBER: make_user(roles=[roles.MEMBERS]),
        FACILITATOR: make_user(roles=[roles.FACILITATORS]),
        LEAD: make_user(roles=[roles.SAFEGUARDING_LEADS]),
        EXECUTIVE: make_user(roles=[roles.EXECUTIVE_PARTNERS]),
        ADMIN: make_user(is_superuser=True, is_staff=True),
    }
    for role in STAFF_ROLES:
        add_totp(found[role])
        RecoveryCodes.activate(found[role])
    return found


def client_for(asker: Asker, people) -> Client:
    client = Client(raise_request_exception=False)
    if asker.role == ANONYMOUS:
        return client
    if asker.second_factor:
        sign_in_with_second_factor(client, people[asker.role])
    else:
        client.force_login(people[asker.role])
    return client


# Judging an answer --------------------------------------------------------------------------------

REDIRECTS = {301, 302, 303, 307, 308}


def refusal_targets() -> set[str]:
    return {
        reverse("account_login"),
        reverse("mfa_activate_totp"),
        reverse("mfa_reauthenticate"),
        reverse("account_reauthenticate"),
        reverse("wagtailadmin_home"),  # Wagtail's "Sorry, you do not have permission"
        "/",
    }


def is_refusal(response) -> bool:
    if response.status_code in {403, 404}:
        return True
    return response.status_code in REDIRECTS and (
        urlsplit(response["Location"]).path in refusal_targets()
    )


def is_success(response, table_row: Row) -> bool:
    if response.status_code not in table_row.ok:
        return False
    return response.status_code not in REDIRECTS or not is_refusal(response)


def describe(response) -> str:
    where = f" → {response['Location']}" if response.status_code in REDIRECTS else ""
    return f"{response.status_code}{where}"


# The staff areas as the design has them, whatever the setting says (a test below checks it).
STAFF_AREAS = ("/admin/", "/django-admin/", "/reports/")


def staff_prefixed(path: str) -> bool:
    return is_under(path, (*STAFF_AREAS, *settings.YOUTHVOICE_STAFF_PATH_PREFIXES))


def try_row(key: str, table_row: Row, world: World, people) -> list[str]:
    """Every asker against one row; the wrong answers, described."""
    endpoint = ENDPOINTS_BY_KEY[key]
    url = world.url(endpoint, table_row)
    wrong = []
    for asker in ASKERS:
        response = client_for(asker, people).get(url)
        if not asker.second_factor and staff_prefixed(url):
            expected = "sent to use the second factor"
            right = response.status_code in REDIRECTS and urlsplit(
                response["Location"]
            ).path == reverse("mfa_reauthenticate")
        elif asker.role in table_row.may:
            expected = f"may ({'/'.join(map(str, table_row.ok))})"
            right = is_success(response, table_row)
        else:
            expected = "may not"
            right = is_refusal(response)
        if not right:
            wrong.append(f"{asker} GET {url}: expected {expected}, got {describe(response)}")
    return wrong


# The tests ----------------------------------------------------------------------------------------

ENDPOINTS = endpoints()
ENDPOINTS_BY_KEY: dict[str, Endpoint] = {}
for _endpoint in ENDPOINTS:
    ENDPOINTS_BY_KEY.setdefault(_endpoint.key, _endpoint)


def needs_a_row(endpoint: Endpoint) -> bool:
    """The project's own views under the staff prefixes, and download URLs anywhere."""
    if staff_prefixed(endpoint.fixed_prefix):
        return not endpoint.is_wagtails
    return bool(DOWNLOAD.search(endpoint.route) or DOWNLOAD.search(endpoint.name or ""))


def test_every_staff_area_is_behind_the_second_factor():
    assert set(STAFF_AREAS) <= set(settings.YOUTHVOICE_STAFF_PATH_PREFIXES)


def test_every_staff_and_download_url_has_a_row():
    wanted = {endpoint.key for endpoint in ENDPOINTS if needs_a_row(endpoint)}

    missing = sorted(wanted - set(MATRIX))
    stale = sorted(set(MATRIX) - set(ENDPOINTS_BY_KEY))

    assert not missing, (
        "These staff or download URLs have no row in the permission matrix. Add one line each to "
        f"MATRIX in tests/security/test_permission_matrix.py saying who may get it: {missing}"
    )
    assert not stale, f"These MATRIX rows name URLs that no longer exist; remove them: {stale}"


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_staff_and_download_url_answers_only_those_who_may_get_it(key, world, people):
    assert not (wrong := try_row(key, MATRIX[key], world, people)), "\n".join(wrong)


@pytest.mark.parametrize("key", sorted(WAGTAIL_SAMPLE))
def test_a_sample_of_wagtails_admin_answers_only_those_who_may_get_it(key, world, people):
    assert not (wrong := try_row(key, WAGTAIL_SAMPLE[key], world, people)), "\n".join(wrong)


def test_all_of_wagtails_admin_is_shut_to_strangers_members_and_staff_without_the_second_factor(
    home, people
):
    """The rule that covers every Wagtail admin URL without a row of its own."""
    plausible = {"int": home.pk, "slug": "x", "str": "x", "path": "x", "uuid": uuid.uuid4()}
    admin = Asker(ADMIN, second_factor=False)
    clients = {asker: client_for(asker, people) for asker in (Asker(ANONYMOUS), Asker(MEMBER))}
    clients[admin] = client_for(admin, people)
    tried, wrong = 0, []
    for endpoint in ENDPOINTS:
        if not endpoint.is_wagtails or not staff_prefixed(endpoint.fixed_prefix):
            continue
        if endpoint.key in WAGTAIL_OPEN:
            continue
        url = endpoint.build({name: plausible.get(kind, "1") for name, kind in endpoint.params})
        if url is None:
            continue
        tried += 1
        for asker, client in clients.items():
            response = client.get(url)
            if asker is admin:
                right = response.status_code in REDIRECTS and urlsplit(
                    response["Location"]
                ).path == reverse("mfa_reauthenticate")
            else:
                right = is_refusal(response)
            if not right:
                wrong.append(f"{asker} GET {url} ({endpoint.key}): {describe(response)}")

    assert tried > 100, tried
    assert not wrong, "\n".join(wrong)
