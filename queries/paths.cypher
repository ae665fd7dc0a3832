// paths: causal paths between two concepts
// Every causal path of distinct concepts from $from to $to, of at most
// $max_length edges, with the CMOC of each edge: one row per choice of CMOCs.
// A causal path follows TRIGGERS and PRODUCES edges, each the claim of one
// CMOC, and goes on from one CMOC to another only at a concept that the first
// produces and that is a context of the second. Joins elsewhere are the
// hypotheses of bridges.cypher. Order: length, concepts, cmocs (shortest
// first). The same rows as `ptgraph query paths` (docs/graph-model.md).
:param from => 'take-up-referral';
:param to => 'less-stressed';
:param max_length => 6;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
// A concept the theory lacks stops the query with the message `ptgraph query` gives
// (rather than "no records"), and says how to choose one.
WITH [p IN [['from', $from], ['to', $to]]
      WHERE NOT EXISTS { MATCH (:Concept {theory: $theory, id: p[1]}) }][0] AS missing
WHERE CASE WHEN missing IS NULL THEN true ELSE point({x: 0, y: 0, crs: "\nptgraph: " + missing[0]
        + ": no concept " + coalesce("'" + missing[1] + "'", "set") + " in theory '" + $theory
        + "'. Choose one with  :param " + missing[0] + " => 'ID'  and run the query on its own; "
        + "MATCH (c:Concept {theory: '" + $theory + "'}) RETURN c.id, c.label  lists them."}) IS NULL END
// Grow the paths one edge at a time, [s, cmoc1, v1, cmoc2, v2, ...], never back
// to a concept already in and never on past $to. An edge of another CMOC than
// the last edge only where the last concept is a context of that CMOC, and not
// a resource of the CMOC of the last edge (the programme introduces those: a CMOC
// does not produce its resource).
MATCH (s:Concept {theory: $theory, id: $from}), (t:Concept {theory: $theory, id: $to})
UNWIND reduce(grown = [[s]], k IN range(1, $max_length) | grown + COLLECT {
         UNWIND grown AS path
         WITH path, path[-1] AS last WHERE size(path) = 2 * k - 1 AND last <> t
         MATCH (last)-[r:TRIGGERS|PRODUCES]->(v:Concept)
         WHERE NOT v IN path
           AND (k = 1 OR path[-2] = r.cmoc
                OR (EXISTS { (:CMOC {theory: $theory, id: r.cmoc})-[:HAS_CONTEXT]->(last) }
                    AND NOT EXISTS { (:CMOC {theory: $theory, id: path[-2]})-[:HAS_RESOURCE]->(last) }))
         RETURN DISTINCT path + [r.cmoc, v] }) AS path
WITH path WHERE path[-1] = t AND size(path) > 1
RETURN [i IN range(0, size(path) - 1, 2) | path[i].id] AS concepts,
       [i IN range(1, size(path) - 2, 2) | path[i]] AS cmocs,
       size(path) / 2 AS length
ORDER BY length, concepts, cmocs
LIMIT coalesce($limit, 9223372036854775807);
