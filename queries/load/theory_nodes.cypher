// The nodes of one theory that carry one label of the graph model.
MATCH (n:__LABEL__)
WHERE n.theory = $theory AND n.id IS NOT NULL
RETURN labels(n) AS labels, properties(n) AS props, elementId(n) AS element_id
