"""IRI minting (DESIGN.md): stable across rebuilds, derived only from identifiers in the sources."""
from __future__ import annotations

import re
import unicodedata

from pyoxigraph import NamedNode

from graph.namespaces import ID


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Children's Home" -> "childrens-home"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['’`]", "", text.lower()).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def provider(urn: str) -> NamedNode:
    return NamedNode(f"{ID}provider/{urn.strip().upper()}")


def provider_snapshot(urn: str, date: str) -> NamedNode:
    return NamedNode(f"{ID}provider/{urn.strip().upper()}/snapshot/{date}")


def holding(owner_key: str, date: str, type_key: str | None) -> NamedNode:
    """An owner's places of one provision type at one snapshot date (``any`` when the type is missing)."""
    return NamedNode(f"{ID}organisation/{owner_key}/holding/{date}/{type_key or 'any'}")


def grade_change(later_inspection: NamedNode, urn: str) -> NamedNode:
    """The change of a provider's overall grade at ``later_inspection`` (one event can cover several providers)."""
    return NamedNode(f"{later_inspection.value}/grade-change/{urn.strip().upper()}")


def local_authority(ons_code: str) -> NamedNode:
    return NamedNode(f"{ID}local-authority/{ons_code}")


def organisation(key: str) -> NamedNode:
    """``key`` is an organisation key from graph.resolve.organisation_key."""
    return NamedNode(f"{ID}organisation/{key}")


def person(name: str) -> NamedNode:
    return NamedNode(f"{ID}person/{slug(name)}")


def inspection(event_number: str | None = None, urn: str | None = None, start_date: str | None = None) -> NamedNode:
    """By Ofsted event number where known, else by URN (or LA) and start date."""
    if event_number:
        return NamedNode(f"{ID}inspection/{event_number.strip()}")
    if not (urn and start_date):
        raise ValueError("an inspection IRI needs an event number, or a URN and a start date")
    return NamedNode(f"{ID}inspection/{slug(urn) if not urn.strip().isalnum() else urn.strip().upper()}/{start_date}")


def finding(inspection_iri: NamedNode, kind: str, number: int) -> NamedNode:
    """kind is "requirement" or "recommendation"; number counts from 1 in document order."""
    return NamedNode(f"{inspection_iri.value}/{kind}/{number}")


def judgement(inspection_iri: NamedNode, area: str) -> NamedNode:
    return NamedNode(f"{inspection_iri.value}/judgement/{area}")


def post(holder: NamedNode, role: str, organisation_iri: NamedNode, date: str | None) -> NamedNode:
    holder_key = holder.value.rsplit("/", 1)[-1]
    org_key = organisation_iri.value.split("/id/", 1)[-1].replace("/", "-")
    return NamedNode(f"{ID}post/{holder_key}/{role}/{org_key}/{date or 'undated'}")


def registration_change(urn: str, change: str, year_or_date: str) -> NamedNode:
    return NamedNode(f"{ID}provider/{urn.strip().upper()}/{change}/{year_or_date}")


def claim(document_iri: NamedNode, number: int) -> NamedNode:
    return NamedNode(f"{document_iri.value}/claim/{number}")


def document(sha256: str) -> NamedNode:
    return NamedNode(f"{ID}document/{sha256[:16]}")


def concept(scheme: str, key: str) -> NamedNode:
    """A SKOS concept of ontology/schemes.ttl: scheme is grade, area, provision-type, sector, inspection-type, framework or role."""
    return NamedNode(f"{ID}{scheme}/{key}")
