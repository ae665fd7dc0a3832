// chains: causal chains across CMOCs, an outcome or mechanism of one a context of the next
// CMOC m links to CMOC n through concept c when c is an outcome or mechanism of
// m and a context of n. A chain is two or more distinct CMOCs, each linking to
// the next; one row per choice of linking concepts. Only maximal chains: no
// CMOC outside the chain links to its first, and its last links to none outside
// it, unless cut at $max_length CMOCs (then truncated is true). $from fixes the
// start (a CMOC, or a concept in the first CMOC's context), $to the end (a
// CMOC, or a concept in the last one's outcome or mechanism); with $to alone the
// start is the end that may be cut. cycle: the earliest CMOC of the chain the
// last one links back to. Order: the id list [m1, c1, m2, ..., mk]. The same
// rows as `ptgraph query chains` (docs/graph-model.md).
:param theory => 'buy-in';
:param from => null;
:param to => null;
:param max_length => 6;
:param limit => null;
// An id naming both a CMOC and a concept is taken as the CMOC.
OPTIONAL MATCH (fromCmoc:CMOC {theory: $theory, id: $from})
OPTIONAL MATCH (toCmoc:CMOC {theory: $theory, id: $to})
MATCH (m1:CMOC {theory: $theory})
WHERE $from IS NULL OR m1 = fromCmoc
   OR (fromCmoc IS NULL AND EXISTS { (m1)-[:HAS_CONTEXT]->(:Concept {id: $from}) })
// A variable-length bound cannot be a parameter: 9 links make the highest
// max_length, 10 CMOCs.
MATCH (m1) ((a:CMOC)-[:HAS_OUTCOME|HAS_MECHANISM]->(c:Concept)<-[:HAS_CONTEXT]-(b:CMOC)
            WHERE a <> b){1,9} (last:CMOC)
WITH DISTINCT toCmoc, m1, [m1] + b AS ms, c AS cs, last
WHERE size(ms) <= $max_length AND all(i IN range(1, size(ms) - 1) WHERE NOT ms[i] IN ms[..i])
WITH toCmoc, ms, cs, last,
     EXISTS { MATCH (x:CMOC)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(m1)
              WHERE NOT x IN ms } AS before,
     EXISTS { MATCH (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(x:CMOC)
              WHERE NOT x IN ms } AS after
WHERE CASE WHEN $to IS NULL
        THEN (NOT after OR size(ms) = $max_length) AND ($from IS NOT NULL OR NOT before)
        ELSE (last = toCmoc OR (toCmoc IS NULL
                                AND EXISTS { (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept {id: $to}) }))
             AND ($from IS NOT NULL OR NOT before OR size(ms) = $max_length)
      END
RETURN [m IN ms | m.id] AS cmocs,
       [x IN cs | x.id] AS concepts,
       [m IN ms | head([(m)-[:IN_AREA]->(a:Area) | a.id])] AS areas,
       size(ms) AS length,
       head([m IN ms[..-1]
             WHERE EXISTS { (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(m) }
             | m.id]) AS cycle,
       CASE WHEN $to IS NULL THEN after WHEN $from IS NULL THEN before ELSE false END AS truncated
ORDER BY reduce(key = [cmocs[0]], i IN range(0, size(concepts) - 1) | key + [concepts[i], cmocs[i + 1]])
LIMIT coalesce($limit, 9223372036854775807);
