// downstream: what a concept leads to, nearest first
// The concepts to which $concept has a causal path of at most $max_length
// edges, each with its distance (fewest edges) and the first such shortest
// path in the order of paths.cypher: path (its concepts, from $concept) and
// cmocs (the CMOC of each edge). A causal path follows TRIGGERS and PRODUCES
// edges, each the claim of one CMOC, and goes on from one CMOC to another
// only at a concept that the first produces and that is a context of the
// second. The concept itself is left out. Order: distance, concept. The same
// rows as `ptgraph query downstream` (docs/graph-model.md).
:param concept => 'open-up';
:param max_length => 6;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
// A concept the theory lacks stops the query with the message `ptgraph query` gives
// (rather than "no records"), and says how to choose one.
WITH [p IN [['concept', $concept]]
      WHERE NOT EXISTS { MATCH (:Concept {theory: $theory, id: p[1]}) }][0] AS missing
WHERE CASE WHEN missing IS NULL THEN true ELSE point({x: 0, y: 0, crs: "\nptgraph: " + missing[0]
        + ": no concept " + coalesce("'" + missing[1] + "'", "set") + " in theory '" + $theory
        + "'. Choose one with  :param " + missing[0] + " => 'ID'  and run the query on its own; "
        + "MATCH (c:Concept {theory: '" + $theory + "'}) RETURN c.id, c.label  lists them."}) IS NULL END
// A breadth-first search over states: a concept, with the CMOC of the edge of
// the path into it (none at $concept). Layer k holds the states first reached
// k edges after $concept, each with the first of its paths in order: the
// candidates sorted by state and path, the first of each state kept unless an
// earlier layer has it. Then each concept keeps its first state in the order
// of distance, path, cmocs.
MATCH (c:Concept {theory: $theory, id: $concept})
UNWIND reduce(grown = [{k: 0, at: c, cmoc: null, key: [c.id, ''], path: [c.id], cmocs: []}],
              k IN range(1, $max_length) | grown + [step IN [COLLECT {
         UNWIND grown AS p
         WITH p, p.at AS u WHERE p.k = k - 1
         MATCH (u)-[r:TRIGGERS|PRODUCES]->(v:Concept)
         WHERE p.cmoc IS NULL OR r.cmoc = p.cmoc
            OR (EXISTS { (:CMOC {theory: $theory, id: r.cmoc})-[:HAS_CONTEXT]->(u) }
                AND NOT EXISTS { (:CMOC {theory: $theory, id: p.cmoc})-[:HAS_RESOURCE]->(u) })
         WITH v, r.cmoc AS m, p.path + [v.id] AS path, p.cmocs + [r.cmoc] AS cmocs
         ORDER BY v.id, m, path, cmocs
         RETURN {k: k, at: v, cmoc: m, key: [v.id, m], path: path, cmocs: cmocs} }]
       | [seen IN [[q IN grown | q.key]] | [i IN range(0, size(step) - 1)
          WHERE (i = 0 OR step[i].key <> step[i - 1].key) AND NOT step[i].key IN seen
          | step[i]]][0]][0]) AS p
WITH c, p WHERE p.at <> c
WITH p ORDER BY p.k, p.path, p.cmocs
WITH p.at AS x, collect(p)[0] AS first
RETURN x.id AS concept, coalesce(x.label, x.id) AS label, first.k AS distance,
       first.path AS path, first.cmocs AS cmocs
ORDER BY distance, concept
LIMIT coalesce($limit, 9223372036854775807);
