// upstream: what leads to a concept, nearest first
// The concepts with a causal path (TRIGGERS and PRODUCES edges) to $concept of
// at most $max_length edges, each with its distance (fewest edges). The concept
// itself is left out. Order: distance, concept. The same rows as
// `ptgraph query upstream` (docs/graph-model.md).
:param theory => 'buy-in';
:param concept => 'less-stressed';
:param max_length => 6;
:param limit => null;
MATCH p = (c:Concept {theory: $theory, id: $concept})<-[:TRIGGERS|PRODUCES*1..10]-(x:Concept)
WHERE x <> c
WITH x, min(length(p)) AS distance
WHERE distance <= $max_length
RETURN x.id AS concept, coalesce(x.label, x.id) AS label, distance
ORDER BY distance, concept
LIMIT coalesce($limit, 9223372036854775807);
