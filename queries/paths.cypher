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
// A variable-length bound cannot be a parameter: 10 is the highest max_length.
MATCH p = (s:Concept {theory: $theory, id: $from})-[:TRIGGERS|PRODUCES*1..10]->
          (t:Concept {theory: $theory, id: $to})
WHERE length(p) <= $max_length
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[..i])
RETURN DISTINCT [n IN nodes(p) | n.id] AS concepts,
       [r IN relationships(p) | r.cmoc] AS cmocs,
       length(p) AS length
ORDER BY length, concepts, cmocs
LIMIT coalesce($limit, 9223372036854775807);
