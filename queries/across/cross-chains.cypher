// cross-chains: links across theories, where the outcome or mechanism of one is a context of another
// CMOC m of theory A links to CMOC n of theory B (A and B differ) through term x
// when an outcome or mechanism of m (what it produces, never its resource) and a
// context of n both map to x, MAPS_TO with match exact or close. match is exact
// when both mappings are exact, else close (a hypothesis to test). CMOCs marked
// refuted are left out. Columns: cmocs [A:m, B:n], theories [A, B], term, label,
// concepts [the concept of m, the concept of n], match. Order: cmocs, term,
// concepts. The same rows as `ptgraph across cross-chains` (docs/graph-model.md).
:param term => null;
:param limit => null;
:param theories => null;
// $vocabulary: the only vocabulary in the database. With several, this line stops the
// file, lists them and leaves $vocabulary as it was: choose one with :param vocabulary,
// then run the query on its own. With none, it says so.
:param vocabulary => [ids IN [COLLECT { MATCH (v:Vocabulary) WHERE v.theory = v.id RETURN v.id ORDER BY v.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no shared vocabulary is loaded in this database. Load one with  ptgraph load VOCABULARY_DIR  and the theories that map to it, and run this file again." ELSE toString(size(ids)) + " vocabularies are loaded in this database, so this file cannot tell which one to query, and the vocabulary parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param vocabulary => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
MATCH (m:CMOC)-[:HAS_MECHANISM|HAS_OUTCOME]->(c:Concept)-[r:MAPS_TO]->(x:Term {theory: $vocabulary})
WHERE r.match IN ['exact', 'close'] AND coalesce(m.status, '') <> 'refuted'
  AND ($theories IS NULL OR m.theory IN $theories) AND ($term IS NULL OR x.id = $term)
MATCH (x)<-[q:MAPS_TO]-(c2:Concept)<-[:HAS_CONTEXT]-(n:CMOC)
WHERE q.match IN ['exact', 'close'] AND n.theory <> m.theory AND coalesce(n.status, '') <> 'refuted'
  AND ($theories IS NULL OR n.theory IN $theories)
WITH DISTINCT m, c, x, n, c2
RETURN [m.theory + ':' + m.id, n.theory + ':' + n.id] AS cmocs, [m.theory, n.theory] AS theories,
       x.id AS term, coalesce(x.label, x.id) AS label, [c.id, c2.id] AS concepts,
       CASE WHEN EXISTS { (c)-[:MAPS_TO {match: 'exact'}]->(x) } AND EXISTS { (c2)-[:MAPS_TO {match: 'exact'}]->(x) }
            THEN 'exact' ELSE 'close' END AS match
ORDER BY cmocs, term, concepts
LIMIT coalesce($limit, 9223372036854775807);
