// The theories and vocabularies loaded in this database, with their load bookkeeping:
// the node of each that keeps the content hash (label Theory or Vocabulary). One
// statement tells a load whether its files are loaded already and whether its id is.
MATCH (t)
WHERE (t:Theory OR t:Vocabulary) AND t.id IS NOT NULL AND t.theory = t.id
RETURN t.id AS id, CASE WHEN t:Theory THEN 'Theory' ELSE 'Vocabulary' END AS label,
       t.content_hash AS content_hash, t.graph_model AS graph_model
ORDER BY id, label
