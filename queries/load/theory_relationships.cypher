// The graph-model relationships of one theory leaving nodes of one label.
MATCH (a:__LABEL__)-[r]->(b)
WHERE a.theory = $theory AND a.id IS NOT NULL AND r.theory = $theory AND type(r) IN $types
RETURN type(r) AS type, a.id AS start, labels(b) AS end_labels, b.id AS end,
       properties(r) AS props, elementId(r) AS element_id
