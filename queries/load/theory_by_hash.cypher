// The theory last loaded from exactly these files by this graph-model version, if any.
MATCH (t:Theory)
WHERE t.content_hash = $hash
RETURN t.id AS id
LIMIT 1
