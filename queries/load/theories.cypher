// The theories loaded in this database, with their load bookkeeping.
MATCH (t:Theory)
WHERE t.id IS NOT NULL AND t.theory = t.id
RETURN t.id AS id, t.content_hash AS content_hash, t.graph_model AS graph_model
ORDER BY id
