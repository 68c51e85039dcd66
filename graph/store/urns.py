"""URNs of the providers and local authorities in a built store, for ``ofsted-kg fetch reports --from-store``."""
from __future__ import annotations

import re
from pathlib import Path

from . import EmbeddedStore

LOCAL_AUTHORITY_TYPES = {"local-authority", "local authority", "la", "local authority children's services"}

_PROVIDERS = """
PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?urn ?type_label ?type_notation ?registered WHERE {
  ?provider a ok:Provider ; ok:urn ?urn .
  OPTIONAL { ?provider ok:provisionType ?type .
             OPTIONAL { ?type skos:prefLabel ?type_label } OPTIONAL { ?type skos:notation ?type_notation } }
  OPTIONAL { ?provider ok:registrationDate ?registered }
}"""

_AUTHORITIES = """
PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
SELECT ?urn WHERE { ?authority a ok:LocalAuthority ; ok:ofstedLaUrn ?urn . }"""

# the latest inspection start of everything inspected, provider or local authority, by URN
_LATEST_INSPECTION = """
PREFIX ok: <https://w3id.org/ofsted-kg/ontology#>
SELECT ?urn (MAX(?start) AS ?latest) WHERE {
  ?inspection ok:inspected ?subject ; ok:startDate ?start .
  { ?subject ok:urn ?urn } UNION { ?subject ok:ofstedLaUrn ?urn }
} GROUP BY ?urn"""


def local_authority_urns(store: str | Path) -> set[str]:
    """The Ofsted URNs of the local authorities in the store (their reports pages are in another category)."""
    return {urn for (urn,) in EmbeddedStore(store).query(_AUTHORITIES).rows}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("\u2019", "")).strip("-")


def provider_urns(store: str | Path, provision_type: str | None = None, since: str | None = None) -> list[str]:
    """URNs in the store, sorted; ``provision_type`` matches a type's label or notation (or ``local-authority``),
    ``since`` (YYYY-MM-DD) keeps those registered or inspected on or after that day."""
    opened = EmbeddedStore(store)
    latest = {urn: str(day) for urn, day in opened.query(_LATEST_INSPECTION).rows}
    wanted_authorities = provision_type is not None and provision_type.strip().lower() in LOCAL_AUTHORITY_TYPES
    chosen: dict[str, str] = {}    # urn -> the latest date known of it (registration or inspection)
    if provision_type is None or wanted_authorities:
        for (urn,) in opened.query(_AUTHORITIES).rows:
            chosen[urn] = latest.get(urn, "")
    if not wanted_authorities:
        wanted = _key(provision_type) if provision_type else None
        for urn, label, notation, registered in opened.query(_PROVIDERS).rows:
            if wanted and wanted not in {_key(label or ""), _key(notation or "")}:
                continue
            chosen[urn] = max(chosen.get(urn, ""), str(registered or ""), latest.get(urn, ""))
    return sorted(urn for urn, day in chosen.items() if since is None or day >= since)
