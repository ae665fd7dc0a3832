// The vocabulary last loaded from exactly these files by this graph-model version, if any.
MATCH (v:Vocabulary)
WHERE v.content_hash = $hash
RETURN v.id AS id
LIMIT 1
