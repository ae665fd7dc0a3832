// hubs: concepts ranked by how many CMOCs and chains pass through them
// For each concept some CMOC uses: cmocs, the CMOCs using it in any role, and
// chains, the maximal chains (as `ptgraph query chains` finds them with
// neither from nor to, of at most $max_length CMOCs) that link through it.
// Order: cmocs descending, chains descending, concept. The same rows as
// `ptgraph query hubs` (docs/graph-model.md).
:param theory => 'buy-in';
:param max_length => 6;
:param limit => null;
// The linking concepts of every maximal chain, as chains.cypher finds them.
CALL () {
  MATCH (m1:CMOC {theory: $theory})
        ((a:CMOC)-[:HAS_OUTCOME|HAS_MECHANISM]->(c:Concept)<-[:HAS_CONTEXT]-(b:CMOC)
         WHERE a <> b){1,9} (last:CMOC)
  WITH DISTINCT m1, [m1] + b AS ms, c AS cs, last
  WHERE size(ms) <= $max_length AND all(i IN range(1, size(ms) - 1) WHERE NOT ms[i] IN ms[..i])
    AND NOT EXISTS { MATCH (x:CMOC)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(m1)
                     WHERE NOT x IN ms }
    AND (size(ms) = $max_length
         OR NOT EXISTS { MATCH (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(x:CMOC)
                         WHERE NOT x IN ms })
  RETURN [x IN cs | x.id] AS concepts
}
WITH collect(concepts) AS found
MATCH (c:Concept {theory: $theory})<-[:HAS_CONTEXT|HAS_MECHANISM|HAS_OUTCOME]-(m:CMOC)
WITH found, c, count(DISTINCT m) AS cmocs
RETURN c.id AS concept, coalesce(c.label, c.id) AS label, cmocs,
       size([cs IN found WHERE c.id IN cs]) AS chains
ORDER BY cmocs DESC, chains DESC, concept
LIMIT coalesce($limit, 9223372036854775807);
