// The ids a named query's parameters may name in one stored theory: its
// Theory node, CMOCs, concepts and sites (with their attributes), so that
// `ptgraph query --neo4j` checks parameters as the embedded engine does.
MATCH (n:Theory {theory: $theory, id: $theory})
RETURN 'Theory' AS label, n.id AS id, {} AS props
UNION ALL
MATCH (n:CMOC {theory: $theory})
RETURN 'CMOC' AS label, n.id AS id, {} AS props
UNION ALL
MATCH (n:Concept {theory: $theory})
RETURN 'Concept' AS label, n.id AS id, {} AS props
UNION ALL
MATCH (n:Site {theory: $theory})
RETURN 'Site' AS label, n.id AS id, properties(n) AS props
