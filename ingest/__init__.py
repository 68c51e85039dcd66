"""Readers for Ofsted's published material. Each returns plain, JSON-able records; nothing here knows RDF."""
