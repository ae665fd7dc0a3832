// support/vocabulary: a stored vocabulary's terms, and the theories loaded beside it
// For `ptgraph across NAME --neo4j`, which checks its parameters (a term, the
// theories) against them before it runs a query across theories.
MATCH (v:Vocabulary {theory: $vocabulary, id: $vocabulary})
RETURN COLLECT { MATCH (t:Term {theory: $vocabulary}) RETURN {id: t.id, label: coalesce(t.label, t.id)} AS term ORDER BY term.id } AS terms,
       COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id AS id ORDER BY id } AS theories
