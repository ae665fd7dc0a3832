// paths: causal paths between two concepts
// Every path of distinct concepts from $from to $to along TRIGGERS and PRODUCES
// edges, of at most $max_length edges, with the CMOC of each edge: one row per
// choice of CMOCs. Order: length, concepts, cmocs (shortest first). The same
// rows as `ptgraph query paths` (docs/graph-model.md).
:param theory => 'buy-in';
:param from => 'take-up-referral';
:param to => 'less-stressed';
:param max_length => 6;
:param limit => null;
// Grow the paths one edge at a time, [s, cmoc1, v1, cmoc2, v2, ...], never back
// to a concept already in and never on past $to.
MATCH (s:Concept {theory: $theory, id: $from}), (t:Concept {theory: $theory, id: $to})
UNWIND reduce(grown = [[s]], k IN range(1, $max_length) | grown + COLLECT {
         UNWIND grown AS path
         WITH path, path[-1] AS last WHERE size(path) = 2 * k - 1 AND last <> t
         MATCH (last)-[r:TRIGGERS|PRODUCES]->(v:Concept)
         WHERE NOT v IN path
         RETURN DISTINCT path + [r.cmoc, v] }) AS path
WITH path WHERE path[-1] = t AND size(path) > 1
RETURN [i IN range(0, size(path) - 1, 2) | path[i].id] AS concepts,
       [i IN range(1, size(path) - 2, 2) | path[i]] AS cmocs,
       size(path) / 2 AS length
ORDER BY length, concepts, cmocs
LIMIT coalesce($limit, 9223372036854775807);
