"""The web app: a page for every IRI under /id/, search, a form per stored query, and the SPARQL endpoint.

Starlette routes, Jinja2 templates (graph/web/templates/), and every fact read by SPARQL: each
section of a page is a query in graph/web/queries/ with the header stored queries use, bound to the
page's IRI (``VALUES ?this { UNDEF }``). IRIs in answers become links; their labels come from one
more query per page. The same path answers RDF (Turtle, JSON-LD, N-Triples) by content
negotiation or a ``.ttl`` / ``.jsonld`` / ``.nt`` suffix.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import urllib.parse
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import stored
from ..store.remote import _json_value as json_value
from ..vocab import ID, LEGISLATION, PREFIXES
from .search import SearchIndex
from .sparql import Backend, QueryFailed, QueryRefused, guard

HERE = Path(str(resources.files(__package__)))
OK = PREFIXES["ok"]
XSD_NUMBERS = ("integer", "int", "long", "decimal", "double", "float", "nonNegativeInteger")
# the largest body /query reads (a SPARQL query, form-encoded or not)
MAX_BODY = 1024 * 1024

# the RDF formats an entity answers in: suffix -> media type
RDF_SUFFIXES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
RDF_MEDIA = set(RDF_SUFFIXES.values())

# which sections each kind of page shows (graph/web/queries/<name>.rq), and the kind of each class
PAGES = {
    "provider": ["provider-releases", "provider-owners", "provider-inspections", "provider-findings",
                 "provider-people", "provider-claims"],
    "organisation": ["organisation-providers", "organisation-holdings"],
    "person": ["person-posts", "person-inspections"],
    "local-authority": ["la-inspections", "la-recommendations", "la-providers"],
    "provision": ["provision-hierarchy", "provision-findings"],
    "inspection": ["inspection-judgements", "inspection-findings", "inspection-sources"],
    "document": ["document-facts", "document-subjects"],
    "other": [],
}
KINDS = [  # the first class an IRI has decides its page (a council is also an organisation)
    (OK + "Provider", "provider"), (OK + "LocalAuthority", "local-authority"), (OK + "Inspection", "inspection"),
    (OK + "SourceDocument", "document"), (OK + "Provision", "provision"), (OK + "Instrument", "provision"),
    ("https://schema.org/Person", "person"), (OK + "CouncilOwnedCompany", "organisation"),
    ("http://www.w3.org/ns/org#FormalOrganization", "organisation"),
    ("http://www.w3.org/ns/org#Organization", "organisation"),
]
EXAMPLE_QUERY = """PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?provider ?name ?status WHERE {
  ?provider a ok:Provider ; schema:name ?name ; ok:registrationStatus ?status .
}
LIMIT 20"""
# one row per IRI and kind of label (a UNION, not OPTIONALs: a thing named in 300 sources would
# multiply four OPTIONALs' rows together); the lowest rank present wins
LABEL_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?x ?rank (SAMPLE(?label) AS ?l) WHERE {
  VALUES ?x { %s }
  { ?x skos:prefLabel ?label BIND(1 AS ?rank) } UNION { ?x schema:name ?label BIND(2 AS ?rank) }
  UNION { ?x rdfs:label ?label BIND(3 AS ?rank) } UNION { ?x dct:title ?label BIND(4 AS ?rank) }
  # a paragraph of a regulation has no name of its own: its instrument code and path (uksi/2011/581 17/1)
  UNION { ?x <https://w3id.org/ofsted-kg/ontology#instrumentCode> ?code ;
             <https://w3id.org/ofsted-kg/ontology#provisionPath> ?path
          BIND(CONCAT(?code, " ", ?path) AS ?label) BIND(5 AS ?rank) }
} GROUP BY ?x ?rank"""


def link(iri: str) -> str:
    """Where the app shows an IRI: its own path under /id/, else /resource?iri=..."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID):]
    return "/resource?" + urllib.parse.urlencode({"iri": iri})


def public_page(iri: str) -> str | None:
    """The legislation.gov.uk page of a legislation IRI (its /id/ form names the thing, not the page)."""
    if iri.startswith(LEGISLATION):
        return "https://www.legislation.gov.uk/" + iri[len(LEGISLATION):]
    return None


def short(iri: str) -> str:
    """A readable stand-in for an IRI with no label: a prefixed name or its last path segment."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    for base in (ID, LEGISLATION):
        if iri.startswith(base):
            return iri[len(base):]
    return iri.rstrip("/").rsplit("/", 1)[-1] or iri


class Cell:
    """One value of a table: text, plus a link when it is an IRI."""

    __slots__ = ("href", "iri", "sort", "text")

    def __init__(self, term: dict | None, labels: dict[str, str]) -> None:
        self.href = self.iri = None
        if term is None:
            self.text, self.sort = "", ""
        elif term["type"] == "uri":
            self.iri = term["value"]
            self.href = link(self.iri)
            self.text = labels.get(self.iri) or short(self.iri)
            self.sort = self.text
        else:
            self.text = term["value"]
            datatype = term.get("datatype", "")
            self.sort = self.text
            if datatype.rsplit("#", 1)[-1] in XSD_NUMBERS:
                # numbers sort as numbers in the browser: zero-padded key
                try:
                    self.sort = f"{float(self.text):020.4f}"
                except ValueError:
                    pass


def _columns_rows(columns: list[str], rows: list[dict], labels: dict[str, str]) -> list[list[Cell]]:
    return [[Cell(row.get(c), labels) for c in columns] for row in rows]


def _iris(rows: list[dict]) -> set[str]:
    return {term["value"] for row in rows for term in row.values() if term and term["type"] == "uri"}


class Pages:
    """What the routes share: the backend, the templates, the page queries and the search index."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.templates = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                                     autoescape=select_autoescape(["html"]))
        self.templates.globals.update(link=link, public_page=public_page)
        self.sections = {path.stem: stored.parse_header(path, path.read_text(encoding="utf-8"))
                         for path in sorted((HERE / "queries").glob("*.rq"))}
        self.search = SearchIndex(backend)
        self.stored = stored.stored_queries()

    def render(self, name: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("store_version", self.backend.version.name)
        return HTMLResponse(self.templates.get_template(name).render(**context), status_code=status)

    async def labels(self, iris: set[str]) -> dict[str, str]:
        """Labels for IRIs: skos:prefLabel, else schema:name, rdfs:label, dct:title."""
        labels: dict[str, str] = {}
        iris = sorted(iris)
        for start in range(0, len(iris), 400):
            chunk = " ".join(f"<{i}>" for i in iris[start:start + 400] if ">" not in i and " " not in i)
            if not chunk:
                continue
            _, rows = await self.backend.select(LABEL_QUERY % chunk)
            for row in sorted(rows, key=lambda row: -int(row["rank"]["value"])):
                labels[row["x"]["value"]] = row["l"]["value"]   # the best rank is written last
        return labels


async def gather(calls: list) -> list:
    """Await the calls side by side (a page's sections are independent queries); the first error is raised as itself."""
    answers: list = [None] * len(calls)

    async def one(index: int, call) -> None:
        answers[index] = await call

    try:
        async with anyio.create_task_group() as tasks:
            for index, call in enumerate(calls):
                tasks.start_soon(one, index, call)
    except BaseExceptionGroup as group:
        raise group.exceptions[0] from None
    return answers


def _wants(request: Request, suffix: str | None) -> str:
    """The media type to answer: the suffix's, else the best of the Accept header (HTML by default)."""
    if suffix:
        return RDF_SUFFIXES[suffix]
    best, best_q = "text/html", 0.0
    for part in request.headers.get("accept", "").split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media == "application/json":
            media = "application/ld+json"
        if media in RDF_MEDIA | {"text/html", "application/xhtml+xml"} and q > best_q:
            best, best_q = ("text/html" if media == "application/xhtml+xml" else media), q
    return best


async def _entity(pages: Pages, request: Request, iri: str, suffix: str | None) -> Response:
    media = _wants(request, suffix)
    _, type_rows = await pages.backend.select(f"SELECT DISTINCT ?type WHERE {{ <{iri}> a ?type }} LIMIT 50")
    _, used_rows = await pages.backend.select(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
    if used_rows[0]["answer"]["value"] != "true":
        raise HTTPException(404, f"nothing in the graph is about {iri}")
    if media != "text/html":
        return await _rdf(pages, iri, media)
    types = {row["type"]["value"] for row in type_rows}
    kind = next((k for cls, k in KINDS if cls in types), "other")
    queries = [pages.sections[name] for name in PAGES[kind] + ["statements", "referenced-by"]]
    answers = await gather([pages.backend.select(query.bind(this=iri)) for query in queries])
    results = [(query, columns, rows) for query, (columns, rows) in zip(queries, answers)]
    labels = await pages.labels({iri} | types | set().union(*(_iris(rows) for _, _, rows in results)))
    sections = [{"name": q.name, "title": q.title, "question": q.question, "columns": columns,
                 "rows": _columns_rows(columns, rows, labels), "sparql": q.bind(this=iri)}
                for q, columns, rows in results]
    here = link(iri)
    downloads = {s: (here + "." + s if iri.startswith(ID) else None) for s in RDF_SUFFIXES}
    page = pages.render("entity.html", iri=iri, kind=kind, title=labels.get(iri) or short(iri),
                        types=[(t, labels.get(t) or short(t)) for t in sorted(types)],
                        sections=sections, downloads=downloads, legislation=public_page(iri))
    page.headers["Vary"] = "Accept"   # the same address answers RDF too: caches must key on Accept
    return page


async def _rdf(pages: Pages, iri: str, media: str) -> Response:
    """The statements whose subject is the IRI, as RDF in ``media``."""
    import pyoxigraph as ox

    # Oxigraph writes N-Triples; pyoxigraph writes them again in the format asked for, with the
    # project's prefixes (Oxigraph's own Turtle spells every IRI out)
    body, _ = await pages.backend.raw(f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}", "application/n-triples")
    if media != "application/n-triples":
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes=PREFIXES)
    return Response(body, media_type=media, headers={"Vary": "Accept", "Link": f'<{iri}>; rel="describes"'})


def create_app(backend: Backend) -> Starlette:
    """The Starlette application over ``backend``."""
    pages = Pages(backend)

    async def home(request: Request) -> Response:
        return pages.render("home.html", queries=pages.stored.values())

    async def entity(request: Request) -> Response:
        path = request.path_params["path"]
        suffix = None
        stem, dot, ext = path.rpartition(".")
        if dot and ext in RDF_SUFFIXES:
            path, suffix = stem, ext
        iri = ID + path
        if any(c in iri for c in '<>" {}|\\^`'):
            raise HTTPException(404, "not an IRI of this graph")
        return await _entity(pages, request, iri, suffix)

    async def resource(request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if not iri or any(c in iri for c in '<>" {}|\\^`') or ":" not in iri:
            raise HTTPException(400, "give an IRI: /resource?iri=...")
        if iri.startswith(ID):
            return RedirectResponse(link(iri), status_code=303)
        return await _entity(pages, request, iri, None)

    async def search(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        hits = await pages.search.find(text) if text else []
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse([hit.as_dict() for hit in hits])
        return pages.render("search.html", q=text, hits=hits, ready=pages.search.ready)

    async def query_list(request: Request) -> Response:
        return pages.render("queries.html", queries=pages.stored.values())

    async def query_page(request: Request) -> Response:
        name = request.path_params["name"]
        fmt = None
        for suffix in ("csv", "json"):
            if name.endswith("." + suffix):
                name, fmt = name[: -len(suffix) - 1], suffix
        if name not in pages.stored:
            raise HTTPException(404, f"no stored query {name!r}")
        query = pages.stored[name]
        submitted = "run" in request.query_params or fmt is not None
        values = {p.name: request.query_params.get(p.name, "") for p in query.parameters}
        if not submitted:
            values = {p.name: query.example.get(p.name, "") for p in query.parameters}
        context = {"query": query, "values": values, "sparql": query.text, "error": None, "table": None}
        if submitted:
            try:
                sparql = query.bind(**{k: v for k, v in values.items() if v})
                context["sparql"] = sparql
                columns, rows = await backend.select(sparql)
            except stored.QueryError as exc:
                if fmt:
                    return PlainTextResponse(str(exc), status_code=400)
                context["error"] = str(exc)
                return pages.render("query.html", status=400, **context)
            if fmt == "json":
                # numbers and booleans as JSON numbers and booleans, as `ofsted-kg query --format json` gives them
                return JSONResponse([{c: json_value(r.get(c)) for c in columns} for r in rows],
                                    headers=_attachment(name, "json"))
            if fmt == "csv":
                out = io.StringIO()
                writer = csv.writer(out)
                writer.writerow(columns)
                writer.writerows([[r[c]["value"] if c in r else "" for c in columns] for r in rows])
                return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=_attachment(name, "csv"))
            labels = await pages.labels(_iris(rows))
            query_string = urllib.parse.urlencode({**{k: v for k, v in values.items() if v}, "run": "1"})
            context["table"] = {"columns": columns, "rows": _columns_rows(columns, rows, labels),
                                "csv": f"/queries/{name}.csv?{query_string}",
                                "json": f"/queries/{name}.json?{query_string}"}
        return pages.render("query.html", **context)

    async def sparql_endpoint(request: Request) -> Response:
        """The SPARQL 1.1 Protocol query operation, behind the guard (no updates, no SERVICE unless allowed)."""
        if request.method == "GET":
            text = request.query_params.get("query")
        else:
            body = await _read_body(request)
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type == "application/sparql-query":
                text = body.decode("utf-8", errors="replace")
            elif content_type == "application/x-www-form-urlencoded":
                text = urllib.parse.parse_qs(body.decode("utf-8", errors="replace")).get("query", [None])[0]
            else:
                return PlainTextResponse("send the query as application/sparql-query or as form field 'query'", 415)
        if not text:
            return PlainTextResponse("no query: pass ?query=... (GET) or a body (POST)", 400)
        await guard(text, allow_service=backend.allow_service)
        accept = request.headers.get("accept") or ""
        if not accept or accept == "*/*":
            # Oxigraph picks the first that fits the query's form: results for SELECT and ASK, Turtle for graphs
            accept = "application/sparql-results+json, text/turtle;q=0.9"
        body, media = await backend.raw(text, accept)
        if media.startswith("application/sparql-results+json"):
            try:
                json.loads(body)
            except ValueError:
                raise QueryFailed(f"the answer was cut off (the query ran past the time limit of "
                                  f"{backend.timeout:g} s)", 504) from None
        return Response(body, media_type=media or None)

    async def sparql_page(request: Request) -> Response:
        text = request.query_params.get("query", "").strip()
        context = {"sparql": text or EXAMPLE_QUERY, "table": None, "error": None}
        if text:
            try:
                await guard(text, allow_service=backend.allow_service)
                columns, rows = await backend.select(text)
            except (QueryRefused, QueryFailed) as exc:
                context["error"] = str(exc)
                if getattr(exc, "status", 400) == 400 and not isinstance(exc, QueryRefused):
                    context["error"] += " This page shows SELECT and ASK answers as tables; send CONSTRUCT and DESCRIBE to /query."
                return pages.render("sparql.html", status=getattr(exc, "status", 400), **context)
            labels = await pages.labels(_iris(rows))
            context["table"] = {"columns": columns, "rows": _columns_rows(columns, rows, labels)}
        return pages.render("sparql.html", **context)

    async def refused(request: Request, exc: Exception) -> Response:
        return _error(pages, request, 400, str(exc))

    async def failed(request: Request, exc: QueryFailed) -> Response:
        return _error(pages, request, exc.status, str(exc))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(pages, request, exc.status_code, exc.detail)

    async def load_search() -> None:
        # a failure here must not take the app down: searches read the labels again when asked
        try:
            await pages.search.load()
        except (QueryFailed, OSError) as exc:
            logging.getLogger("ofsted_kg.web").warning("search index not loaded yet: %s", exc)

    @asynccontextmanager
    async def lifespan(app):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(load_search)
            yield
            tasks.cancel_scope.cancel()
        await backend.aclose()

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/queries", query_list),
        Route("/queries/{name}", query_page),
        Route("/query", sparql_endpoint, methods=["GET", "POST"]),
        Route("/sparql", sparql_page),
        Route("/resource", resource),
        Route("/id/{path:path}", entity),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan,
                     exception_handlers={QueryRefused: refused, QueryFailed: failed, HTTPException: http_error})


def _attachment(name: str, suffix: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}.{suffix}"'}


async def _read_body(request: Request) -> bytes:
    """The request body, refused with 413 past MAX_BODY (whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise HTTPException(413 if declared.isdigit() else 400,
                            f"a query body may hold at most {MAX_BODY} bytes" if declared.isdigit()
                            else "Content-Length is not a number")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPException(413, f"a query body may hold at most {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _error(pages: Pages, request: Request, status: int, message: str) -> Response:
    if request.url.path == "/query" or "text/html" not in request.headers.get("accept", "text/html"):
        return PlainTextResponse(message + "\n", status_code=status)
    return pages.render("error.html", status=status, status_code=status, message=message)
