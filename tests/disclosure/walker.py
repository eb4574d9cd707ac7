"""The canary walk: every URL pattern and every OpenAPI operation, read over real HTTP by every reader class,
every response searched for every canary; plus the oracles — differential checks that a filter, an
ordering, a search, a detail address or a write tells a reader nothing about what they may not read.

A canary found in a response is a violation unless the reader's class may read it (``World.readers_of``),
it is the canary organisation on a directory surface, or it is the reader's own words echoed back (a
canary in the address: the response to the same address with a control string instead may echo that
control as often). Violations are collected, never raised one by one: the test fails with all of them.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import sys
import time
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fnmatch import fnmatch
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

from tests.disclosure import expectations as ex
from tests.disclosure import surfaces
from tests.disclosure.world import (
    CONTROL_ORG_CODE,
    CONTROL_ORG_NAME,
    CONTROL_TOKEN,
    MISSING_PK,
    MISSING_UUID,
    UNSAFE_MARKUP,
)

logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the report
CANARY_SHAPE = re.compile(r"qz[a-z]{12}xk")
NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:\.\d+)?(?![\d])")
CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")
PAGE_LINK = re.compile(r"""href="([^"]*[?&](?:amp;)?i?page=\d+[^"]*)\"""")
#: A formula-looking cell: the formula canary's text at the start of a cell, not neutralised by a quote.
FORMULA_CELL = re.compile(r"(?:<f>|=)HYPERLINK\(", re.IGNORECASE)
SELECT = re.compile(r"<select\b.*?</select>", re.S)
MESSAGES = re.compile(r'<ul class="messages".*?</ul>', re.S)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
#: A PDF's text may break a word across lines or spaces; canaries are letters, so also search without them.
SPACES = re.compile(r"\s+")


@dataclass
class Violation:
    cause: (
        str  # leak; oracle: filter / existence / ordering / write; formula injection; unsafe markup; write: …
    )
    reader: str
    url: str
    canary: str
    where: str = ""

    def line(self) -> str:
        return f"{self.reader:<20} {self.url}  canary={self.canary}  {self.where}".rstrip()

    @property
    def surface(self) -> str:
        """Where, as a family of addresses: the admin's model, an API resource, a page, a file."""
        if not self.url.startswith(("/", "GET ", "POST ", "PUT ")):
            return self.url.split(" (")[0].split(" after")[0]
        path = urlsplit(self.url.split(" ")[-1]).path
        parts = [p for p in path.split("/") if p and not p.isdigit() and not CANARY_SHAPE.match(p)]
        if parts[:1] == ["admin"]:
            return "admin " + "/".join(parts[1:3])
        if parts[:2] == ["api", "v1"]:
            return "API " + "/".join(parts[2:4])
        return "page /" + "/".join(parts[:2])


@dataclass
class Route:
    name: str | None
    route: str
    callback: object
    params: list[str]
    converters: dict[str, str]

    @property
    def key(self) -> str:
        return self.name or self.route


@dataclass
class Reader:
    name: str
    pages: httpx.Client
    api: httpx.Client

    def client(self, url: str) -> httpx.Client:
        return self.api if urlsplit(url).path.startswith("/api/") else self.pages


@dataclass
class Got:
    status: int
    text: str  # decoded (PDF/DOCX/XLSX text extracted), lowercased
    raw: str  # the same, case kept, for comparisons
    kind: str  # html, json, csv, pdf, xlsx, docx, zip, other


@dataclass
class Stats:
    requests: int = 0
    routes_walked: set = field(default_factory=set)
    routes_405: set = field(default_factory=set)
    routes_unfilled: dict = field(default_factory=dict)
    operations_walked: set = field(default_factory=set)
    operations_skipped: dict = field(default_factory=dict)
    operations_unfilled: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=lambda: defaultdict(float))
    by_name: dict = field(default_factory=dict)  # URL name → [requests, seconds]


def routes() -> list[Route]:
    """Every URL pattern of the URL conf, the admin's included, with its full route and parameters."""
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None, converters: dict) -> None:
        for pattern in resolver.url_patterns:
            text = prefix + str(pattern.pattern)
            conv = {**converters, **_converters(pattern)}
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, text, ns, conv)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                found.append(Route(name, text, pattern.callback, list(conv), conv))

    walk(get_resolver(), "", None, {})
    return found


def _converters(pattern) -> dict[str, str]:
    p = pattern.pattern
    if hasattr(p, "converters") and p.converters:
        return {k: type(v).__name__ for k, v in p.converters.items()}
    regex = getattr(p, "regex", None)
    return dict.fromkeys(regex.groupindex, "regex") if regex is not None and regex.groupindex else {}


def view_model(callback):
    """The model a DRF view serves (its queryset or serializer), and its lookup field and URL keyword."""
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return None, None, None
    model = None
    for attr in ("queryset", "base_queryset"):
        queryset = getattr(cls, attr, None)
        if queryset is not None and hasattr(queryset, "model"):
            model = queryset.model
    serializer = getattr(cls, "serializer_class", None)
    if serializer is None and hasattr(cls, "get_serializer_class"):
        try:
            serializer = cls().get_serializer_class()
        except Exception:  # noqa: BLE001 - a view that needs a request to choose: no model from it
            serializer = None
    if model is None and serializer is not None and hasattr(getattr(serializer, "Meta", None), "model"):
        model = serializer.Meta.model
    lookup = getattr(cls, "lookup_field", "pk") or "pk"
    kwarg = getattr(cls, "lookup_url_kwarg", None) or lookup
    return model, lookup, kwarg


def extract(response: httpx.Response) -> tuple[str, str]:
    data = response.content
    if data.startswith(b"%PDF"):
        import pypdf

        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() or "" for page in reader.pages), "pdf"
        except Exception as error:  # noqa: BLE001 - an unreadable PDF is a finding, not a crash
            return f"unreadable pdf: {error}", "pdf"
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.endswith((".xml", ".rels", ".txt", ".csv", ".json"))]
            kind = (
                "xlsx"
                if any(n.startswith("xl/") for n in names)
                else "docx"
                if any(n.startswith("word/") for n in names)
                else "zip"
            )
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in names), kind
    ctype = response.headers.get("content-type", "")
    text = data.decode("utf-8", "replace")
    kind = "json" if "json" in ctype else "html" if "html" in ctype else "csv" if "csv" in ctype else "other"
    return text, kind


class Walker:
    def __init__(self, world, base_url: str, schema: dict | None = None):
        self.world = world
        self.base_url = base_url
        self.violations: list[Violation] = []
        self.stats = Stats()
        self.readers: dict[str, Reader] = {}
        self.seen: dict[str, Counter] = defaultdict(Counter)  # reader → canary name → times found
        self.controls_seen: set[str] = set()
        self.fetched: dict[str, set[str]] = defaultdict(set)
        self.kept: dict[tuple[str, str], set[str]] = {}  # (reader, url) → canary names, for chosen urls
        self.keep_urls: set[str] = set()
        self._twins: dict[tuple[str, str], Got] = {}
        self.oracle_readers: tuple = ()
        self.existence_readers: tuple = ()
        self.parallel = 3 if connection.vendor == "postgresql" else 1
        self.schema = schema
        self.refresh()

    # -- canaries ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """(Re)read the world's canaries and who may read them (the withdrawal changes them)."""
        self.by_text = {text: name for name, text in self.world.canaries.items()}
        self.by_number: dict[str, str] = {}
        for name, number in self.world.numbers.items():
            self.by_number[number] = name
            if "." in number:  # a budget written without its cents
                self.by_number.setdefault(number.split(".")[0], name)
        self.controls = {text: name for name, text in self.world.controls.items()}
        #: The first three digits of every numeric canary: a cheap test before the regular expression.
        self.number_heads = {number[:3] for number in self.by_number}

    def find(self, text: str, kind: str) -> Counter:
        """Every canary in a (lowercased) text, counted; controls are noted as seen."""
        found: Counter = Counter()
        for token in _tokens(text):
            name = self.by_text.get(token)
            if name:
                found[name] += 1
            elif token in self.controls:
                self.controls_seen.add(self.controls[token])
        if any(d in text for d in self.number_heads):
            for match in NUMBER.finditer(text):
                name = self.by_number.get(re.sub(r"[,\u00a0\u202f ]", "", match.group(0)))
                if name:
                    found[name] += 1
        if kind == "pdf":
            for token in _tokens(SPACES.sub("", text)):
                name = self.by_text.get(token)
                if name and not found[name]:
                    found[name] += 1
        return found

    def allowed(self, reader: str, name: str, url_name: str | None) -> bool:
        if reader in self.world.readers_of.get(name, ex.EVERYONE):
            return True
        return name in ex.DIRECTORY_CANARIES and url_name in ex.DIRECTORY_SURFACES

    def check(
        self,
        reader: str,
        url: str,
        got: Got,
        url_name: str | None,
        echo: Counter | None = None,
        cause: str = "",
    ) -> Counter:
        found = self.find(got.text, got.kind)
        self.check_markup(reader, url, got)
        for name, count in found.items():
            self.seen[reader][name] += count
            if self.allowed(reader, name, url_name) or count <= (echo or Counter())[name]:
                continue
            self.violations.append(
                Violation(
                    cause or "leak",
                    reader,
                    url,
                    name,
                    f"status {got.status}: …{self._around(got, name)}…",
                )
            )
        if url in self.keep_urls:
            self.kept[(reader, url)] = set(found)
        return found

    def check_markup(self, reader: str, url: str, got: Got) -> None:
        """Two things no file or page may carry, whoever reads: a spreadsheet cell that starts like a formula
        (a CSV or XLSX must write the public formula-like text as '=...), and stored markup unsanitised."""
        if got.kind in ("csv", "xlsx"):
            for match in FORMULA_CELL.finditer(got.raw):
                before = got.raw[max(0, match.start() - 2) : match.start()]
                if not before.endswith("'"):
                    where = " ".join(got.raw[max(0, match.start() - 40) : match.end() + 40].split())
                    self.violations.append(
                        Violation("formula injection", reader, url, "FORMULA", f"…{where}…")
                    )
        if got.kind not in ("pdf", "xlsx", "docx", "zip") and UNSAFE_MARKUP.lower() in got.text:
            at = got.text.find(UNSAFE_MARKUP.lower())
            where = " ".join(got.raw[max(0, at - 60) : at + len(UNSAFE_MARKUP) + 10].split())
            self.violations.append(Violation("unsafe markup", reader, url, "UNSAFE_MARKUP", f"…{where}…"))

    def _around(self, got: Got, name: str) -> str:
        text = self.world.canaries.get(name) or self.world.numbers.get(name, "")
        at = got.text.find(text) if text else -1
        if at < 0 and name in self.world.numbers:
            match = next(
                (
                    m
                    for m in NUMBER.finditer(got.text)
                    if self.by_number.get(re.sub(r"[,\u00a0\u202f ]", "", m.group(0))) == name
                ),
                None,
            )
            at = match.start() if match else -1
        if at < 0:
            return "(spread over the text)"
        snippet = got.raw[max(0, at - 70) : at + len(text) + 30]
        return " ".join(snippet.split())

    # -- HTTP ------------------------------------------------------------------------------------------------
    def sign_in(self, names) -> None:
        for name in names:
            if name in self.readers:
                continue
            user = self.world.readers[name]
            headers = {"Accept": "application/json"}
            cookies = {}
            if user is not None:
                headers["Authorization"] = f"Bearer {self.world.tokens[name]}"
                client = Client()
                client.force_login(user)
                cookies = {"sessionid": client.cookies["sessionid"].value}
            common = {"base_url": self.base_url, "timeout": 60, "follow_redirects": False}
            pages = httpx.Client(cookies=cookies, headers={"Accept": "text/html,*/*"}, **common)
            api = httpx.Client(headers=headers, **common)
            self.readers[name] = Reader(name, pages, api)

    def close(self) -> None:
        for reader in self.readers.values():
            reader.pages.close()
            reader.api.close()

    def fetch(
        self, reader: str, url: str, method: str = "GET", body: dict | None = None, label: str | None = None
    ) -> Got:
        client = self.readers[reader].client(url)
        started = time.monotonic()
        response = client.request(method, url, json=body)
        client.cookies.delete("messages")  # a message one page leaves must not show up on the next one
        self.stats.requests += 1
        spent = self.stats.by_name.setdefault(label or urlsplit(url).path, [0, 0.0])
        spent[0] += 1
        spent[1] += time.monotonic() - started
        if self.stats.requests % 1000 == 0:
            print(f"  … {self.stats.requests} requests, {reader} {url[:90]}", file=sys.stderr, flush=True)  # noqa: T201 - progress
        text, kind = extract(response)
        return Got(response.status_code, text.lower(), text, kind)

    def twin(self, reader: str, url: str) -> Got:
        key = (reader, url)
        if key not in self._twins:
            self._twins[key] = self.fetch(reader, url, label="(twins)")
        return self._twins[key]

    def each(self, readers, work) -> None:
        """Run `work(reader)` for every reader: one after the other on SQLite (the live server shares the test's
        one in-memory connection), a few at a time on PostgreSQL (each server thread has its connection, and
        the database works on the other core while Python waits)."""
        if self.parallel <= 1:
            for reader in readers:
                work(reader)
            return
        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            for future in [pool.submit(work, reader) for reader in readers]:
                future.result()

    # -- one address -----------------------------------------------------------------------------------------
    def visit(
        self,
        reader: str,
        url: str,
        url_name: str | None,
        *,
        private: str | None = None,
        twin_url: str | None = None,
        swaps: tuple[tuple[str, str], ...] = (),
        probe: str | None = None,
        follow: bool = True,
    ) -> Got | None:
        """GET `url` as `reader` and check it. `twin_url` is the same address with a control instead of the
        canary in it (`swaps`: canary text → control text) or with a missing record instead of `private`
        (an existence canary); the twin bounds the echo, and for a reader who may not read `probe` (or
        `private`) the two answers must be the same: anything else is an oracle."""
        if url in self.fetched[reader]:
            return None
        self.fetched[reader].add(url)
        got = self.fetch(reader, url, label=url_name)
        echo = Counter()
        secret = probe or private
        differential = bool(secret) and reader not in self.world.readers_of.get(secret, ex.EVERYONE)
        if differential and not swaps and reader not in self.existence_readers:
            twin_url = None  # the existence oracle is the oracle readers'; the content check is everyone's
        if twin_url is not None:
            twin = self.twin(reader, twin_url)
            for canary_text, control in swaps:
                name = self.by_text.get(canary_text.lower()) or self.by_number.get(canary_text)
                if name:
                    echo[name] = twin.text.count(control.lower())
            if differential:
                self.compare(
                    reader,
                    url,
                    got,
                    twin,
                    swaps,
                    cause="oracle: " + ("existence" if private else "filter"),
                    canary=secret,
                    twin_url=twin_url,
                )
        self.check(reader, url, got, url_name, echo)
        if follow:
            self.follow(reader, url, url_name, got)
        return got

    def compare(
        self, reader, url, got: Got, twin: Got, swaps, *, cause: str, canary: str, twin_url: str
    ) -> None:
        a = self.normal(got.raw, swaps, url, twin_url)
        b = self.normal(twin.raw, (), twin_url, twin_url)
        if got.status != twin.status or a != b:
            diff = (
                f"{got.status} vs {twin.status} for {twin_url}"
                if got.status != twin.status
                else _first_difference(a, b)
            )
            self.violations.append(Violation(cause, reader, url, canary, diff))

    @staticmethod
    def normal(text: str, swaps, url: str, twin_url: str) -> str:
        for canary_text, control in swaps:
            text = text.replace(canary_text, control).replace(canary_text.capitalize(), control.capitalize())
        for address in {url, twin_url}:
            path = urlsplit(address).path
            text = text.replace(path, "<PATH>")
        text = text.replace(html.escape(urlsplit(url).path), "<PATH>")
        text = SELECT.sub("<select/>", text)  # form controls list choices (the directory), not data
        text = MESSAGES.sub("", text)
        text = TIMESTAMP.sub("<TIME>", text)
        return CSRF.sub("<CSRF>", text)

    def follow(self, reader: str, url: str, url_name: str | None, got: Got) -> None:
        """Every page of a paginated list: HTML pagination links, the API's `next`."""
        if got.status != 200:
            return
        base = urlsplit(url)
        if got.kind == "json":
            try:
                data = json.loads(got.raw)
            except ValueError:
                return
            nxt = data.get("next") if isinstance(data, dict) else None
            if nxt:
                parts = urlsplit(nxt)
                self.visit(reader, f"{parts.path}?{parts.query}", url_name)
            return
        if got.kind != "html":
            return
        for link in PAGE_LINK.findall(got.raw)[:40]:
            target = urljoin(f"{base.path}?{base.query}", html.unescape(link))
            parts = urlsplit(target)
            if parts.path == base.path:
                self.visit(reader, f"{parts.path}?{parts.query}", url_name)

    # -- (a) the URL conf ------------------------------------------------------------------------------------
    def walk_routes(
        self,
        readers,
        *,
        full_readers=(),
        admin_readers=(),
        oracle_readers=(),
        record_readers=(),
        binary_readers=(),
    ) -> None:
        """Every URL pattern, as every reader. `record_readers` also read the full-only records' own pages (the
        fuzzed records, public records like another: everyone reads them in the lists); `full_readers` every
        admin pattern (everyone else reads the admin's index: the admin refuses in one place), every public
        code (every fund, State, provider) and the surfaces that are the same for everyone; `binary_readers`
        every file in every binary format (everyone else reads HTML and CSV); `admin_readers` every admin page
        of every canary record."""
        constants = surfaces.constant_fillers(self.world)
        self.oracle_readers = oracle_readers
        self.existence_readers = (*full_readers[:1], *oracle_readers, *admin_readers)
        self.route_readers = {
            "full": full_readers,
            "admin": admin_readers,
            "record": record_readers,
            "binary": binary_readers,
        }
        planned = []
        for route in routes():
            if route.key in surfaces.SKIP:
                continue
            plans = self.plan(route, constants)
            if plans is None:
                self.stats.routes_unfilled[route.key] = route.route
            else:
                planned.append((route, plans))

        def walk(reader: str) -> None:
            full = reader in full_readers
            for route, plans in planned:
                in_admin = route.route.startswith("admin/")
                if surfaces.same_for_everyone(route.name) and not full:
                    continue
                if in_admin and not full and reader not in admin_readers and route.name != "admin:index":
                    continue
                for number, plan in enumerate(plans):
                    skip = self._skipped(reader, route, number, plan)
                    if skip is None:
                        break
                    if skip:
                        continue
                    got = self.visit(reader, plan["url"], route.name, private=plan.get("private"),
                                     twin_url=plan.get("twin"), swaps=plan.get("swaps", ()), probe=plan.get("probe"))  # fmt: skip
                    if got is not None and got.status != 405:
                        self.stats.routes_walked.add(route.key)
                    elif got is not None:
                        self.stats.routes_405.add(route.key)

        self.each(readers, walk)
        self.stats.routes_405 -= self.stats.routes_walked

    def _skipped(self, reader: str, route: Route, number: int, plan: dict) -> bool | None:
        """Whether `reader` skips this plan (None: skips the rest of the route's plans too)."""
        full = reader in self.route_readers["full"]
        in_admin = route.route.startswith("admin/")
        if plan.get("full_only") and reader not in self.route_readers["record"]:
            return True
        if plan.get("binary") and reader not in self.route_readers["binary"]:
            return True
        if plan.get("full") and not (full or (plan.get("probe") and reader in self.oracle_readers)):
            return True
        if in_admin and number and reader not in self.route_readers["admin"]:
            return None
        # every record's change page; history and delete pages for the first only
        return bool(in_admin and number and re.search(r"/(history|delete)/$", plan["url"]))

    def plan(self, route: Route, constants: dict) -> list[dict] | None:
        """Concrete addresses for a route: [{url, private?, twin?, swaps?, full_only?, binary?}], or None if it cannot be filled."""
        name = route.name
        if not route.params:
            url = self._reverse(route, {})
            if url is None:
                return None
            plans = [] if name in surfaces.QUERY_ONLY else [{"url": url + self._list_query(url)}]
            for query in surfaces.PAGE_QUERIES.get(name, []):
                plans.append({"url": f"{url}?{urlencode(query)}", "full": name not in surfaces.QUERY_ONLY})
            if name in surfaces.PROVIDER_FILTERED:
                plans.append({**self._provider_plan(url), "full": True})
            return plans
        if name in constants:
            return self._plan_constants(route, [dict(k) for k in constants[name]])
        return self._plan_records(route)

    def _plan_constants(self, route: Route, kwargs_list: list[dict]) -> list[dict] | None:
        """A route filled with public codes (every fund, State, format): one plan per code."""
        name = route.name
        plans = []
        for number, kwargs in enumerate(kwargs_list):
            url = self._reverse(route, kwargs)
            if url is None:
                return None
            binary = kwargs.get("fmt", kwargs.get("extension", "csv")) not in ("csv", "json", "html")
            sampled = bool(number) and name in surfaces.SAMPLED
            plans.append(self._with_canary_twin({"url": url, "binary": binary, "full": sampled}))
            for query in surfaces.PAGE_QUERIES.get(name, []):
                plans.append({"url": f"{url}?{urlencode(query)}", "full": True})
            if name in surfaces.PROVIDER_FILTERED:
                plans.append({**self._provider_plan(url), "full": True})
        return plans

    def _plan_records(self, route: Route) -> list[dict] | None:
        """A route addressing one record: every canary record of its model (and a missing twin of each)."""
        target = self._record_target(route)
        if target is None:
            return None
        label, kwarg, attr, extras = target
        plans = []
        model = apps.get_model(label)
        for full_only, keys in (
            (False, self.world.records.get(label, [])),
            (True, self.world.full_only.get(label, [])),
        ):
            if not keys and not full_only:
                first = model.objects.order_by("pk").values_list("pk", flat=True).first()
                keys = [first] if first is not None else []
            values = dict(model.objects.filter(pk__in=keys).values_list("pk", attr))
            for key in keys:
                if key not in values:
                    continue
                for extra in _product(extras):
                    kwargs = {kwarg: values[key], **extra}
                    binary = extra.get("fmt", "html") != "html"
                    url = self._reverse(route, kwargs)
                    if url is None:
                        return None
                    private = self.world.private.get((label, key))
                    plan = {"url": url, "full_only": full_only, "private": private, "binary": binary}
                    if private:
                        missing = {kwarg: _missing(route.converters.get(kwarg), values[key]), **extra}
                        plan["twin"] = self._reverse(route, missing)
                        plan["swaps"] = (
                            ((str(values[key]), str(missing[kwarg])),) if isinstance(values[key], str) else ()
                        )
                    plans.append(plan)
        if not plans:  # no record of this kind anywhere: walk a missing one (the refusal is walked)
            kwargs = {
                kwarg: _missing(route.converters.get(kwarg), MISSING_PK),
                **{k: v[0] for k, v in extras.items()},
            }
            url = self._reverse(route, kwargs)
            return None if url is None else [{"url": url}]
        return plans

    def _record_target(self, route: Route):
        name = route.name or ""
        if name in surfaces.RECORD_ROUTES:
            label, kwarg, attr = surfaces.RECORD_ROUTES[name]
            return label, kwarg, attr, surfaces.RECORD_ROUTE_EXTRAS.get(name, {})
        admin = re.match(r"^admin/(?P<app>\w+)/(?P<model>\w+)/", route.route)
        if admin and "object_id" in route.params:
            try:
                apps.get_model(admin["app"], admin["model"])
            except LookupError:
                return None
            return f"{admin['app']}.{admin['model']}", "object_id", "pk", {}
        if name.startswith("admin:") and name.endswith("_password_change") and "id" in route.params:
            return "auth.user", "id", "pk", {}
        model, lookup, kwarg = view_model(route.callback)
        if model is not None and kwarg in route.params and len(route.params) == 1:
            return model._meta.label_lower, kwarg, lookup, {}
        return None

    def _reverse(self, route: Route, kwargs: dict) -> str | None:
        if route.name:
            try:
                return reverse(route.name, kwargs=kwargs)
            except NoReverseMatch:
                return None
        text = "/" + route.route
        for key, value in kwargs.items():
            text = re.sub(r"<(?:\w+:)?" + key + ">", str(value), text)
        return None if "<" in text or "(?P" in text or "$" in text else text

    def _list_query(self, url: str) -> str:
        return "?page_size=500" if url in self.paginated else ""

    def _provider_plan(self, url: str) -> dict:
        canary_org, control = self.world.org["consented"], self.world.org["control"]
        return {
            "url": f"{url}?provider={canary_org.code}",
            "twin": f"{url}?provider={control.code}",
            "swaps": ((canary_org.code, control.code), (canary_org.name, control.name)),
            "probe": "org.canary.code",
        }

    def _with_canary_twin(self, plan: dict) -> dict:
        """An address with a canary in it (the canary organisation's code) gets its control twin."""
        canary_org = self.world.org["consented"]
        if canary_org.code in plan["url"]:
            plan["twin"] = plan["url"].replace(canary_org.code, CONTROL_ORG_CODE)
            plan["swaps"] = ((canary_org.code, CONTROL_ORG_CODE), (canary_org.name, CONTROL_ORG_NAME))
        return plan

    @property
    def paginated(self) -> set[str]:
        if not hasattr(self, "_paginated"):
            self._paginated = {
                path
                for path, ops in (self.schema or {}).get("paths", {}).items()
                if any(p.get("name") == "page_size" for p in ops.get("get", {}).get("parameters", []))
            }
        return self._paginated

    # -- (b) the OpenAPI schema ------------------------------------------------------------------------------
    def operations(self):
        for path, ops in self.schema["paths"].items():
            for method, op in ops.items():
                if method in ("parameters", "servers", "summary", "description"):
                    continue
                yield f"{method.upper()} {path}", method, path, op

    def walk_operations(self, readers, *, content_readers, oracle_readers) -> None:
        constants = surfaces.constant_fillers(self.world)
        planned = []
        for key, method, path, op in self.operations():
            if method != "get":
                if key in surfaces.ORACLE_OPERATIONS:
                    self.stats.operations_walked.add(key)
                else:
                    self.stats.operations_skipped[key] = surfaces.WRITE_REASON
                continue
            skipped = self._skipped_route(path)
            if skipped:
                self.stats.operations_skipped[key] = skipped
                continue
            plans = self._operation_plans(path, constants)
            if plans is None:
                self.stats.operations_unfilled[key] = path
                continue
            self.stats.operations_walked.add(key)
            planned.append((path, op, plans))

        def walk(reader: str) -> None:
            for path, op, plans in planned:
                self.walk_operation(reader, path, op, plans, oracle=reader in oracle_readers)

        self.each([r for r in readers if r in content_readers], walk)

    def walk_operation(self, reader: str, path: str, op: dict, plans: list[dict], *, oracle: bool) -> None:
        """One operation as one reader: every address it takes, then every declared query parameter with a
        canary value (and, for an oracle reader, the differential against its control), every ordering."""
        query = [p for p in op.get("parameters", []) if p.get("in") == "query"]
        names = {p["name"] for p in query}
        page = {"page_size": "500"} if "page_size" in names else {}
        for plan in plans:
            self.visit(reader, plan["url"] + (f"?{urlencode(page)}" if page else ""), plan["name"],
                       private=plan.get("private"), twin_url=plan.get("twin"), swaps=plan.get("swaps", ()))  # fmt: skip
        base = plans[0]["url"]
        for param in query:
            if param["name"] in ("page", "page_size", "ordering"):
                continue
            for value, twin, probe in self.values_for(param, path):
                if twin is None and reader != ex.ANONYMOUS:
                    continue  # a plain value narrows what the URL walk read; the public reads it once
                url = f"{base}?{urlencode({**page, param['name']: value})}"
                twin_url = f"{base}?{urlencode({**page, param['name']: twin})}" if twin is not None else None
                swaps = ((value, twin),) if twin is not None and not value.isdigit() else ()
                self.visit(reader, url, plans[0]["name"], twin_url=twin_url, swaps=swaps,
                           probe=probe if oracle else None, follow=False)  # fmt: skip
        if "ordering" in names and oracle:
            self.ordering_oracle(reader, base, page, plans[0]["name"], path, op)

    @staticmethod
    def _skipped_route(path: str) -> str | None:
        """The SKIP reason of the URL pattern an operation's path resolves to, if it has one."""
        for probe in ("1", MISSING_UUID, "x"):
            try:
                match = resolve(re.sub(r"{\w+}", probe, path))
            except Resolver404:
                continue
            return surfaces.SKIP.get(match.view_name)
        return None

    def _operation_plans(self, path: str, constants) -> list[dict] | None:
        params = re.findall(r"{(\w+)}", path)
        if not params:
            try:
                match = resolve(path)
            except Resolver404:
                return None
            return [{"url": path, "name": match.view_name}]
        for probe in ("1", MISSING_UUID, "x", "1.1"):  # "1.1": a code with a dot (an SDG target)
            try:
                match = resolve(re.sub(r"{\w+}", probe, path))
                break
            except Resolver404:
                continue
        else:
            return None
        route = next((r for r in routes() if r.name == match.view_name), None)
        if route is None:
            return None
        plans = self.plan(route, constants)
        if plans is None:
            return None
        return [{**p, "name": match.view_name} for p in plans if not p.get("full_only")] or None

    def values_for(self, param: dict, path: str):
        """(value, control value or None, canary the pair probes or None) to call a query parameter with."""
        name = param["name"]
        schema = param.get("schema", {})
        kind = schema.get("type")
        w = self.world
        org, control = w.org["consented"].code, CONTROL_ORG_CODE
        if schema.get("enum"):
            values = [str(v) for v in schema["enum"] if v not in ("", None)]
            return [(v, None, None) for v in (values if name in ("as", "format") else values[:1])]
        if kind == "boolean":
            return [("true", None, None)]
        if name in ("search", "q"):
            return [(w.canaries[c], CONTROL_TOKEN, c) for c in _search_probes(path)]
        if name in ("state", "recommending_state", "state_under_review", "country"):
            return [("KEN", None, None)]
        if name == "theme" and kind == "integer":
            return [(str(w.theme_pks[0]), str(w.theme_pks[1]), "activity.unpublished.title")]
        if name in ("theme", "theme_key"):
            return [("uhri:B9", "uhri:B8", "activity.unpublished.title")]
        if name in ("since", "until", "starts_after", "ends_before") or schema.get("format") == "date":
            return [("2024-01-01", None, None)]
        if name in ("year", "cycle", "session", "level"):
            return [(str(w.year if name == "year" else 1), None, None)]
        ids = {
            "activity": (w.ids["a_unpublished"].pk, "activity.unpublished.title"),
            "request": (w.ids["r_draft"].pk, "request.draft.title"),
            "grant": (w.ids["grant"].pk, "funds.grant.purpose"),
            "pledge": (w.ids["pledge"].pk, "funds.pledge.memo") if "/funds/" in path else None,
            "contribution": (w.ids["contribution"].pk, "funds.contribution.memo"),
        }
        if ids.get(name):
            pk, probe = ids[name]
            return [(str(pk), str(MISSING_PK), probe)]
        if kind in ("integer", "number"):
            return [("1", None, None)]
        simple = {"sdg": "16", "goal": "16", "region": "AFRICAN", "fund": "VFTC", "currency": "USD", "language": "en",
                  "mechanism": "UPR", "modality": "training", "status": "submitted", "gender_marker": "2",
                  "m49_region": "Africa", "parent": "UPR", "symbol": "HRTC", "subject_type": "recommendation",
                  "model": "assistance.assistancerequest", "classifier": "1", "group": "children"}  # fmt: skip
        if name in simple and name not in ("provider", "provider__code"):
            return [(simple[name], None, None)]
        return [(org, control, "org.canary.code")]  # any other text: who is the canary organisation?

    def ordering_oracle(self, reader: str, base: str, page: dict, url_name: str, path: str, op: dict) -> None:
        """Ordering by a field a reader cannot read on some rows must tell nothing: same order both ways, or
        refused (4xx) both ways."""
        listed = self.fetch(reader, f"{base}?{urlencode(page)}")
        rows = _rows(listed)
        if rows is None or len(rows) < 2:
            return
        candidates = _model_fields(path)  # only a model's fields order a queryset (and "__all__" allows each)
        for field_name in sorted(candidates):
            if all(field_name in row for row in rows):
                continue  # the reader reads this field on every row: the order is theirs to see
            up = self.fetch(reader, f"{base}?{urlencode({**page, 'ordering': field_name})}")
            down = self.fetch(reader, f"{base}?{urlencode({**page, 'ordering': '-' + field_name})}")
            if up.status >= 400 and up.status == down.status:
                continue
            a, b = _order(up), _order(down)
            if up.status != down.status or a != b:
                self.violations.append(Violation("oracle: ordering", reader, f"{base}?ordering={field_name}", f"{path}:{field_name}",
                                                 f"ascending {a[:6]} vs descending {b[:6]} (status {up.status}/{down.status})"))  # fmt: skip

    # -- (5) writes are no oracles ---------------------------------------------------------------------------
    def write_oracle(self, readers) -> None:
        w = self.world
        cases = (
            ("POST", "/api/v1/assistance/requests/{}/transition/", {"transition": "review", "reason": ""}),
            ("PUT", "/api/v1/assistance/requests/{}/consent/", {"providers": [], "publish_summary": False}),
        )
        for reader in readers:
            for method, template, body in cases:
                missing_url = template.format(MISSING_PK)
                missing = self.fetch(reader, missing_url, method, body)
                for key in w.records["assistance.assistancerequest"]:
                    private = w.private.get(("assistance.assistancerequest", key))
                    if not private or reader in w.readers_of[private]:
                        continue
                    url = template.format(key)
                    got = self.fetch(reader, url, method, body)
                    self.check(reader, url, got, None)
                    expected = 404 if w.readers[reader] is not None else missing.status
                    same = self.normal(got.raw, (), url, missing_url) == self.normal(
                        missing.raw, (), missing_url, missing_url
                    )
                    if got.status != expected or got.status != missing.status or not same:
                        self.violations.append(Violation("oracle: write", reader, f"{method} {url}", private,
                                                         f"{got.status} {got.raw[:120]!r} vs missing {missing.status} {missing.raw[:120]!r}"))  # fmt: skip

    # -- the admin: what the services own is read-only there ----------------------------------------------
    def admin_guard(self, reader: str) -> None:
        """The platform administrator's admin forms offer no field the services own (``ADMIN_LOCKED``): no
        consent, status or publication, no history, nobody seated in a State's government or taking over a
        government member's account."""
        from hrtc.accounts.models import Membership
        from hrtc.assistance.models import ConsentRecord, RequestEvent

        w = self.world
        focal = w.readers["own_state_writer"]
        government = w.org["own_state"]
        pages = {
            "assistance.assistancerequest": [w.ids["r_summary"].pk, "add"],
            "assistance.activity": [w.ids["a_published"].pk, "add"],
            "assistance.consentrecord": [ConsentRecord.objects.filter(request=w.ids["r_summary"]).first().pk],
            "assistance.requestevent": [RequestEvent.objects.filter(request=w.ids["r_summary"]).first().pk],
            "practices.practice": [w.ids["p_published"].pk],
            "accounts.organisation:government": [government.pk],
            "accounts.membership:government": [
                Membership.objects.get(user=focal, organisation=government).pk
            ],
            "auth.user:government": [focal.pk],
        }
        for key, targets in pages.items():
            app, model = key.split(":")[0].split(".")
            for target in targets:
                url = f"/admin/{app}/{model}/{target}/" + ("" if target == "add" else "change/")
                got = self.fetch(reader, url, label="(admin guard)")
                if got.status != 200:
                    continue
                locked = ex.ADMIN_LOCKED[key]
                editable = {
                    n
                    for n in _editable_fields(got.raw)
                    if any(fnmatch(n, p) or p == ex.ANY_FIELD for p in locked)
                }
                if editable:
                    self.violations.append(Violation("write: the admin edits what the services own", reader, url,
                                                     ", ".join(sorted(editable))))  # fmt: skip
        url = "/admin/accounts/membership/add/"
        got = self.fetch(reader, url, label="(admin guard)")
        offered = set(re.findall(r'<option value="(\d+)"', _select(got.raw, "organisation")))
        governments = {str(pk) for pk in _governments()}
        if offered & governments:
            self.violations.append(Violation("write: the admin edits what the services own", reader, url,
                                             "organisation", "offers to seat a member in a State's government"))  # fmt: skip
        url = f"/admin/auth/user/{focal.pk}/password/"
        got = self.fetch(reader, url, label="(admin guard)")
        if got.status == 200 and "password1" in got.raw:
            self.violations.append(Violation("write: the admin edits what the services own", reader, url,
                                             "password", "sets a government member's password"))  # fmt: skip

    # -- (c) search ------------------------------------------------------------------------------------------
    def walk_search(self, readers, names, *, page_readers=(ex.ANONYMOUS,), every=(ex.ANONYMOUS,)) -> None:
        """Search for canaries, with the control token as the twin: for a reader who may not read the canary,
        the answer must be the answer to a search for nothing (no snippet, no count, no facet). Readers in
        `every` search for every canary they may not read; the others for one per record (its title, when
        they may not read that: the whole document is then not theirs) and every private field of a record
        they may read."""

        def search(reader: str) -> None:
            endpoints = [("/api/v1/search/", "api-search")]
            if reader in page_readers:
                endpoints.append(("/search/", "search:search"))
            chosen = [n for n in names if reader not in self.world.readers_of[n]]
            if reader not in every:
                chosen = self.one_per_record(reader, chosen)
            for endpoint, url_name in endpoints:
                twin_url = f"{endpoint}?{urlencode({'q': CONTROL_TOKEN})}"
                for name in chosen:
                    text = self.world.canaries.get(name) or self.world.numbers.get(name)
                    url = f"{endpoint}?{urlencode({'q': text})}"
                    self.visit(reader, url, url_name, twin_url=twin_url, swaps=((text, CONTROL_TOKEN),),
                               probe=name, follow=False)  # fmt: skip

        self.each(readers, search)

    def one_per_record(self, reader: str, names: list[str]) -> list[str]:
        """Of the canaries `reader` may not read, the title of a record whose title they may not read (its
        other fields are in the same document), else every one."""
        titles = {n.rsplit(".", 1)[0] for n in names if n.endswith(".title")}
        return [n for n in names if n.endswith(".title") or n.rsplit(".", 1)[0] not in titles]

    # -- (e), (f) files made on the command line ---------------------------------------------------------------
    def check_file(self, reader: str, where: str, data: bytes, surface: str | None = None) -> Counter:
        response = httpx.Response(200, content=data, headers={"content-type": "application/octet-stream"})
        text, kind = extract(response)
        return self.check(reader, where, Got(200, text.lower(), text, kind), surface)


def _tokens(text: str):
    """Every canary-shaped token (qz + 12 letters + xk), overlapping ones too; fast on texts without any."""
    at = text.find("qz")
    while at >= 0:
        candidate = text[at : at + 16]
        if len(candidate) == 16 and candidate.endswith("xk") and candidate[2:14].isalpha():
            yield candidate
        at = text.find("qz", at + 1)


def _editable_fields(page: str) -> set[str]:
    """The names of a form's fields a person can change: not hidden, disabled or read-only."""
    names = set()
    for tag, attrs in re.findall(r"<(input|select|textarea)\b([^>]*)>", page):
        name = re.search(r'\bname="([^"]+)"', attrs)
        kind = re.search(r'\btype="([^"]+)"', attrs)
        if not name or re.search(r"\b(disabled|readonly)\b", attrs):
            continue
        if tag == "input" and kind and kind.group(1) in ("hidden", "submit", "button", "reset"):
            continue
        names.add(name.group(1))
    return names - {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "q"}


def _select(page: str, name: str) -> str:
    match = re.search(r'<select\b[^>]*name="' + re.escape(name) + r'"[^>]*>(.*?)</select>', page, re.S)
    return match.group(1) if match else ""


def _governments() -> list[int]:
    from hrtc.accounts.choices import OrganisationKind
    from hrtc.accounts.models import Organisation

    return list(Organisation.objects.filter(kind=OrganisationKind.STATE).values_list("pk", flat=True))


def _product(extras: dict[str, tuple]) -> list[dict]:
    combos = [{}]
    for key, values in extras.items():
        combos = [{**c, key: v} for c in combos for v in values]
    return combos


def _missing(converter: str | None, value) -> object:
    if converter == "UUIDConverter" or (
        isinstance(value, str) and re.fullmatch(r"[0-9a-f-]{36}", str(value))
    ):
        return MISSING_UUID
    if converter == "IntConverter" or isinstance(value, int):
        return MISSING_PK
    return CONTROL_TOKEN


def _first_difference(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"differs at {at}: …{' '.join(a[max(0, at - 60) : at + 60].split())}… vs …{' '.join(b[max(0, at - 60) : at + 60].split())}…"


def _rows(got: Got) -> list | None:
    if got.status != 200 or got.kind != "json":
        return None
    try:
        data = json.loads(got.raw)
    except ValueError:
        return None
    rows = data.get("results") if isinstance(data, dict) else data
    return rows if isinstance(rows, list) and all(isinstance(r, dict) for r in rows) else None


def _order(got: Got) -> list:
    rows = _rows(got) or []
    return [r.get("id", r.get("code", r.get("slug", json.dumps(r, sort_keys=True)))) for r in rows]


def _model_fields(path: str) -> set[str]:
    """The concrete fields of the model behind a list operation (its view's queryset or serializer)."""
    try:
        match = resolve(path)
    except Resolver404:
        return set()
    model, _, _ = view_model(match.func)
    if model is None:
        return set()
    return {f.name for f in model._meta.concrete_fields} | {f.name for f in model._meta.many_to_many}


def _search_probes(path: str) -> list[str]:
    """Canaries a free-text filter of a list is probed with: the private texts of its own kind of record."""
    by_app = {
        "/assistance/requests/": [
            "request.summary_only.needs",
            "request.draft.title",
            "request.unpublished.title",
        ],
        "/assistance/activities/": ["activity.unpublished.description", "activity.no_consent.title"],
        "/assistance/offers/": ["offer.contact"],
        "/assistance/feed/": ["request.draft.title", "activity.unpublished.title"],
        "/practices/": ["practice.submitted.body", "practice.returned.comment"],
        "/funds/": ["funds.grant.purpose", "funds.contribution.memo"],
        "/recommendations/": ["assessment.internal.evidence"],
        "/reports/": ["report.saved_unpublished.title"],
        "/accounts/": ["user.focal_point"],
    }
    for fragment, names in by_app.items():
        if fragment in path:
            return names
    return ["request.summary_only.needs"]
