"""ofsted-kg: records -> RDF, the store, queries and exports."""
