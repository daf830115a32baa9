"""The clients and the load balancer of ``benchmarks/two_of_each.py``: browsers sending answers
through the real form to two web processes, each POST that fails sent again, with the same data
and the same one-time token, to the other process, as a browser retrying would."""

from __future__ import annotations

import itertools
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.answer_throughput import CSRF_RE, TOKEN_RE  # noqa: E402
from benchmarks.throughput_site import answers  # noqa: E402

TIMEOUT = 15  # seconds, per HTTP request
MAX_ATTEMPTS = 8  # per GET or POST, including the first


class Balancer:
    """Two ports; a port that refuses or drops a connection is taken out of service."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.down: set[int] = set()
        self.lock = threading.Lock()

    def pick(self, preferred: int, last: int | None = None) -> int:
        """``preferred`` if it is in service and was not just tried, else another port."""
        with self.lock:
            alive = [p for p in self.ports if p not in self.down] or self.ports
        if preferred in alive and preferred != last:
            return preferred
        return next((p for p in alive if p != last), alive[0])

    def take_out(self, port: int) -> None:
        with self.lock:
            self.down.add(port)


@dataclass
class Sent:
    """One young person's submission, as the client saw it."""

    number: int
    token: uuid.UUID | None = None
    acknowledged: bool = False
    attempts: int = 0
    ports: list[int] = field(default_factory=list)
    submit_ms: float = 0.0
    errors: list[str] = field(default_factory=list)


@dataclass
class Posting:
    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: int = 0
    threads: list[threading.Thread] = field(default_factory=list)

    def add(self, one: Sent) -> None:
        with self.lock:
            self.sent.append(one)
            self.acknowledged += one.acknowledged


def submit(number: int, balancer: Balancer, path: str, fields: dict[str, str]) -> Sent:
    """GET the form and POST answers from a new browser session; retry on the other port."""
    from django.core import signing

    from consultations.forms import TOKEN_SALT

    one = Sent(number)
    session = requests.Session()
    preferred = balancer.ports[number % len(balancer.ports)]
    page, port = None, None
    for _attempt in range(MAX_ATTEMPTS):
        port = balancer.pick(preferred, port)
        try:
            page = session.get(f"http://127.0.0.1:{port}{path}", timeout=TIMEOUT)
        except requests.ConnectionError as error:
            balancer.take_out(port)
            one.errors.append(f"GET {type(error).__name__}")
            continue
        except requests.RequestException as error:
            one.errors.append(f"GET {type(error).__name__}")
            continue
        if page.status_code == 200:
            preferred = port
            break
        one.errors.append(f"GET {page.status_code}")
    csrf = CSRF_RE.search(page.text) if page is not None else None
    token = TOKEN_RE.search(page.text) if page is not None else None
    if not csrf or not token:
        one.errors.append("GET gave up")
        return one
    signed = token.group(1)
    one.token = uuid.UUID(signing.loads(signed, salt=TOKEN_SALT))
    data: dict[str, object] = {"csrfmiddlewaretoken": csrf.group(1), "token": signed, "website": ""}
    for key, value in answers("two", number % 97, number).items():
        data[fields[key]] = value
    first, port = time.perf_counter(), None
    for attempt in range(MAX_ATTEMPTS):
        port = balancer.pick(preferred, port)  # the GET's port first, then the other one
        if attempt:
            time.sleep(0.05 * attempt)
        one.attempts += 1
        one.ports.append(port)
        url = f"http://127.0.0.1:{port}{path}"
        try:
            response = session.post(
                url, data=data, allow_redirects=False, timeout=TIMEOUT, headers={"Referer": url}
            )
        except requests.ConnectionError as error:
            balancer.take_out(port)
            one.errors.append(f"POST {type(error).__name__}")
            continue
        except requests.RequestException as error:
            one.errors.append(f"POST {type(error).__name__}")
            continue
        if response.status_code >= 500:
            one.errors.append(f"POST {response.status_code}")
            continue
        location = response.headers.get("Location", "")
        one.acknowledged = response.status_code == 302 and "thank-you" in location
        if not one.acknowledged:
            one.errors.append(f"POST {response.status_code} refused")
        one.submit_ms = (time.perf_counter() - first) * 1000
        return one
    one.errors.append("POST gave up")
    return one


def post_answers(
    total: int, clients: int, balancer: Balancer, path: str, fields: dict[str, str]
) -> Posting:
    posting = Posting()
    numbers = itertools.count()
    numbers_lock = threading.Lock()

    def client() -> None:
        while True:
            with numbers_lock:
                number = next(numbers)
            if number >= total:
                return
            posting.add(submit(number, balancer, path, fields))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    posting.threads = threads
    return posting
