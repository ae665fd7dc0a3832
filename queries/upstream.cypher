// upstream: what leads to a concept, nearest first
// The concepts with a causal path (TRIGGERS and PRODUCES edges) to $concept of
// at most $max_length edges, each with its distance (fewest edges). The concept
// itself is left out. Order: distance, concept. The same rows as
// `ptgraph query upstream` (docs/graph-model.md).
:param concept => 'less-stressed';
:param max_length => 6;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
MATCH p = (c:Concept {theory: $theory, id: $concept})<-[:TRIGGERS|PRODUCES*1..10]-(x:Concept)
WHERE x <> c
WITH x, min(length(p)) AS distance
WHERE distance <= $max_length
RETURN x.id AS concept, coalesce(x.label, x.id) AS label, distance
ORDER BY distance, concept
LIMIT coalesce($limit, 9223372036854775807);
