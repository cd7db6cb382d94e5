"""Simulated users over plain HTTP (the standard library only): councillors reading pages and
officers rating priorities, each in a thread with its own sign-in, as browsers behind the
council's TLS proxy would send them."""

import http.client
import random
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
NONCE = re.compile(r'<script[^>]* nonce="([^"]*)"')
# The officers' page says this when someone else saved the record after it was opened
# (inspections.models.EditConflict): a correct refusal, not an error.
CONFLICT = "Your changes have not been saved"
UNAVAILABLE = "Sorry, the service is unavailable"
# What a clean error page never shows.
LEAKS = ("Traceback", "psycopg", "OperationalError", "InterfaceError", "connection to server", "postgres", "it_reliab")
RATINGS = ("red", "amber", "green")


@dataclass
class Response:
    status: int
    location: str
    body: str
    policy: str = ""  # Content-Security-Policy


@dataclass
class Event:
    """One request: when it started and ended (seconds on the run's clock), who sent it, to
    which server, and how it went."""

    start: float
    end: float
    role: str
    port: int
    method: str
    path: str
    status: int  # 0 when no HTTP answer came (connection refused, reset, timed out)
    outcome: str = ""  # for rating POSTs: accepted, conflict, refused, failed
    token: str = ""  # the unique commentary of a rating POST
    clean: bool = True  # for 5xx: the page reveals nothing internal


@dataclass
class Recorder:
    """Every request of a run, from every thread."""

    started: float = field(default_factory=time.monotonic)
    events: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self):
        return time.monotonic() - self.started

    def add(self, event):
        with self.lock:
            self.events.append(event)


class Browser:
    """One user's cookies and keep-alive connection to one server."""

    # Long enough for the slowest page under load; a browser would wait as long.
    def __init__(self, port, *, timeout=60):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self.connection = None

    def request(self, method, path, form=None):
        body = urllib.parse.urlencode(form) if form is not None else None
        # The proxy in front of the app terminates TLS and says so; the browser sends its origin.
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                text = answer.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                # A kept-alive connection the server closed in between: open a new one, once.
                self.close()
                if attempt == 2:
                    raise ConnectionError(str(error)) from error
        self._keep_cookies(answer.msg.get_all("Set-Cookie") or [])
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        return Response(
            answer.status, answer.getheader("Location", ""), text, answer.getheader("Content-Security-Policy", "")
        )

    def _keep_cookies(self, headers):
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def sign_in(self, username, password):
        page = self.request("GET", "/sign-in/")
        token = CSRF_TOKEN.search(page.body)
        if page.status != 200 or not token:
            raise RuntimeError(f"sign-in page: {page.status}")
        answer = self.request(
            "POST",
            "/sign-in/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        if answer.status != 302:
            raise RuntimeError(f"signing in as {username}: {answer.status}")


class User(threading.Thread):
    """A signed-in user busy until `stop` is set. Subclasses define `step()`."""

    role = ""

    def __init__(self, *, name, port, account, recorder, stop, go, rng, think=(0.05, 0.3)):
        super().__init__(name=name, daemon=True)
        self.browser = Browser(port)
        self.signed_in = threading.Event()
        self.go = go
        self.port = port
        self.account = account
        self.recorder = recorder
        self.stop = stop
        self.rng = rng
        self.think = think
        self.failure = None

    def run(self):
        try:
            try:
                self.browser.sign_in(*self.account)
            finally:
                self.signed_in.set()
            self.go.wait()
            while not self.stop.is_set():
                self.step()
                self.stop.wait(self.rng.uniform(*self.think))
        except Exception as error:  # noqa: BLE001 - reported by the check, which then fails
            self.failure = f"{self.name}: {error!r}"
        finally:
            self.browser.close()

    def send(self, method, path, form=None, token=""):
        """One request, recorded; returns the response, or None when no answer came."""
        start = self.recorder.now()
        try:
            response = self.browser.request(method, path, form)
        except (OSError, http.client.HTTPException):
            response = None
        status = response.status if response else 0
        event = Event(start, self.recorder.now(), self.role, self.port, method, path, status, token=token)
        if token:
            event.outcome = rating_outcome(response)
        if status >= 500:
            event.clean = clean_error_page(response)
        self.recorder.add(event)
        if response is None or status >= 500:
            # As a person would: wait a moment before trying again.
            self.stop.wait(0.3)
        return response


def rating_outcome(response):
    if response is None or response.status >= 400:
        return "failed"
    if response.status == 302:
        return "accepted"
    return "conflict" if CONFLICT in response.body else "refused"


def clean_error_page(response):
    """A 503 is the service-unavailable page; no error page shows anything internal, and its
    scripts carry the nonce its content security policy allows (else the browser blocks them)."""
    if any(leak in response.body for leak in LEAKS):
        return False
    nonces = set(NONCE.findall(response.body))
    if any(not nonce or f"'nonce-{nonce}'" not in response.policy for nonce in nonces):
        return False
    return response.status != 503 or UNAVAILABLE in response.body


class Councillor(User):
    """Reads the overview, the plan, priorities, measures and scrutiny."""

    role = "councillor"

    def __init__(self, *, pages, **kwargs):
        super().__init__(**kwargs)
        self.pages = pages

    def step(self):
        self.send("GET", self.rng.choice(self.pages))


class Officer(User):
    """Rates priorities on the officers' page: opens the form, thinks, posts a rating with a
    commentary unique to this request. Officers share a few priorities, so that some of their
    updates meet in the same moment and the second is refused as a conflict."""

    role = "officer"

    def __init__(self, *, priorities, tag, **kwargs):
        super().__init__(**kwargs)
        self.priorities = priorities
        self.tag = tag
        self.sent = 0

    def step(self):
        path = f"/plan/priorities/{self.rng.choice(self.priorities)}/rating/"
        page = self.send("GET", path)
        if page is None or page.status != 200:
            return
        csrf, version = CSRF_TOKEN.search(page.body), VERSION.search(page.body)
        if not (csrf and version):
            raise RuntimeError(f"{path} has no rating form")
        self.stop.wait(self.rng.uniform(0, 0.2))
        self.sent += 1
        token = f"{self.tag}-{self.name}-{self.sent}"
        form = {
            "csrfmiddlewaretoken": csrf.group(1),
            "version": version.group(1),
            "rating": self.rng.choice(RATINGS),
            "commentary": f"{token} (reliability check)",
        }
        self.send("POST", path, form, token=token)


def start_users(*, ports, pages, priorities, accounts, councillors, officers, tag, recorder, seed=1):
    """Sign the users in, spread over the servers in turn, then set them going together and
    start the recorder's clock; returns (threads, stop event)."""
    stop, go = threading.Event(), threading.Event()
    rng = random.Random(seed)
    common = {"recorder": recorder, "stop": stop, "go": go}
    users = [
        Councillor(
            name=f"councillor{number + 1}",
            port=ports[number % len(ports)],
            account=accounts["councillor"],
            rng=random.Random(rng.random()),
            pages=pages,
            **common,
        )
        for number in range(councillors)
    ] + [
        Officer(
            name=f"officer{number + 1}",
            port=ports[number % len(ports)],
            account=accounts["officer"],
            rng=random.Random(rng.random()),
            priorities=priorities,
            tag=tag,
            **common,
        )
        for number in range(officers)
    ]
    for user in users:
        user.start()
    for user in users:
        user.signed_in.wait(timeout=120)
    recorder.started = time.monotonic()
    go.set()
    return users, stop
