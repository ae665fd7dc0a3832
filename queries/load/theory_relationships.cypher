// The graph-model relationships of one theory leaving the nodes read by
// theory_nodes.cypher in the same transaction. $ids: their element ids.
MATCH (a)-[r]->(b)
WHERE elementId(a) IN $ids AND r.theory = $theory AND type(r) IN $types
RETURN elementId(a) AS start, type(r) AS type, labels(b) AS end_labels, b.id AS end,
       properties(r) AS props, elementId(r) AS element_id
