"""ofsted-kg: records -> RDF, the store, queries and exports."""


def __getattr__(name: str):
    # imported on first use, so that `import graph.x` stays light
    if name == "KnowledgeGraph":
        from graph.api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'graph' has no attribute {name!r}")


__all__ = ["KnowledgeGraph"]
