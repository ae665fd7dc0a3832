// downstream: what a concept leads to, nearest first
// The concepts to which $concept has a causal path (TRIGGERS and PRODUCES edges)
// of at most $max_length edges, each with its distance (fewest edges). The
// concept itself is left out. Order: distance, concept. The same rows as
// `ptgraph query downstream` (docs/graph-model.md).
:param theory => 'buy-in';
:param concept => 'open-up';
:param max_length => 6;
:param limit => null;
MATCH p = (c:Concept {theory: $theory, id: $concept})-[:TRIGGERS|PRODUCES*1..10]->(x:Concept)
WHERE x <> c
WITH x, min(length(p)) AS distance
WHERE distance <= $max_length
RETURN x.id AS concept, coalesce(x.label, x.id) AS label, distance
ORDER BY distance, concept
LIMIT coalesce($limit, 9223372036854775807);
