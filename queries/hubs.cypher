// hubs: concepts ranked by how many CMOCs and chains pass through them
// For each concept some CMOC uses: cmocs, the CMOCs using it in any role, and
// chains, the maximal chains (as `ptgraph query chains` finds them with
// neither from nor to, of at most $max_length CMOCs) that link through it.
// Order: cmocs descending, chains descending, concept. The same rows as
// `ptgraph query hubs` (docs/graph-model.md).
:param max_length => 6;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
// The linking concepts of every maximal chain, found as chains.cypher finds them,
// each concept once per chain, counted per concept: never a list of all the
// chains (which each concept row would carry, out of memory at 10,000 CMOCs).
// A start that links to no other CMOC begins no chain, so its growth is not
// tried. Every concept of the theory adds a row of 0, so that concepts on no
// chain are counted too, and those no CMOC uses are then left out.
CALL () {
  MATCH (m1:CMOC {theory: $theory})
  WITH m1, COLLECT { MATCH (x:CMOC)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(m1)
                     WHERE x <> m1 RETURN DISTINCT x } AS before
  WHERE size(before) < $max_length
    AND EXISTS { MATCH (m1)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(x:CMOC)
                 WHERE x <> m1 }
  UNWIND reduce(grown = [[m1]], k IN range(1, $max_length - 1) | grown + COLLECT {
           UNWIND grown AS chain
           WITH chain, chain[-1] AS last WHERE size(chain) = 2 * k - 1
           MATCH (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(c:Concept)<-[:HAS_CONTEXT]-(n:CMOC)
           WHERE NOT n IN chain AND size([x IN before WHERE x <> n AND NOT x IN chain]) < $max_length - k
           RETURN DISTINCT chain + [c, n] }) AS chain
  WITH before, chain, chain[-1] AS last
  WHERE size(chain) > 1 AND all(x IN before WHERE x IN chain)
    AND (size(chain) = 2 * $max_length - 1
         OR NOT EXISTS { MATCH (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(x:CMOC)
                         WHERE NOT x IN chain })
  UNWIND COLLECT { UNWIND range(1, size(chain) - 2, 2) AS i RETURN DISTINCT chain[i] AS c } AS c
  RETURN c, count(*) AS through
  UNION ALL
  MATCH (c:Concept {theory: $theory})
  RETURN c, 0 AS through
}
WITH c, sum(through) AS chains
WITH c, chains,
     COUNT { MATCH (c)<-[:HAS_CONTEXT|HAS_MECHANISM|HAS_OUTCOME|HAS_RESOURCE|HAS_INTERVENTION|HAS_ACTOR]-(m:CMOC)
             RETURN DISTINCT m } AS cmocs
WHERE cmocs > 0
RETURN c.id AS concept, coalesce(c.label, c.id) AS label, cmocs, chains
ORDER BY cmocs DESC, chains DESC, concept
LIMIT coalesce($limit, 9223372036854775807);
