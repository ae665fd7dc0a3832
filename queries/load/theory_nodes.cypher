// Every node of one theory (or vocabulary). One UNION ALL branch per label of the graph model
// (ptgraph.graph.NODE_LABELS; a test keeps the two lists equal), each a seek of that
// label's (theory, id) uniqueness index: one statement rather than one per label, since
// a server just started plans (and compiles) each distinct statement once. The
// relationships are read by theory_relationships.cypher, and only when there are nodes:
// a first load needs neither that statement nor its planning.
MATCH (n:Theory) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Theory' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Area) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Area' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Site) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Site' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Concept) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Concept' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:CMOC) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'CMOC' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Evidence) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Evidence' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Pathway) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Pathway' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Source) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Source' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Vocabulary) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Vocabulary' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:Term) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'Term' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
UNION ALL
MATCH (n:MiddleRangeTheory) WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN 'MiddleRangeTheory' AS label, labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
