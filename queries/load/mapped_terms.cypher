// Terms (by element id) that concepts of a loaded theory map to, with that theory:
// a vocabulary load or unload that would remove them is refused. $ids: element ids.
MATCH (t:Term)
WHERE elementId(t) IN $ids
MATCH (c:Concept)-[r:MAPS_TO]->(t)
RETURN DISTINCT r.theory AS theory, t.id AS term
ORDER BY theory, term
