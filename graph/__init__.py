"""ofsted-kg: a knowledge graph of England's children's social care from Ofsted's published material.

``from ofsted_kg import KnowledgeGraph`` opens a built store for queries from Python; the command
line is ``ofsted-kg`` (``python -m ofsted_kg``).
"""


def __getattr__(name: str):
    # imported on first use, so that importing a submodule (the CLI, a reader) stays light
    if name == "KnowledgeGraph":
        from .api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'ofsted_kg' has no attribute {name!r}")


__all__ = ["KnowledgeGraph"]
