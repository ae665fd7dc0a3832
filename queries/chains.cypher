// chains: causal chains across CMOCs, an outcome or mechanism of one a context of the next
// CMOC m links to CMOC n through concept c when c is an outcome or mechanism of
// m and a context of n. A chain is two or more distinct CMOCs, each linking to
// the next, one row per choice of linking concepts. Only maximal chains: no
// CMOC outside the chain links to its first, and its last links to none outside
// it, unless cut at $max_length CMOCs (then truncated is true). $from fixes the
// start: a CMOC, or a concept in the context of the first CMOC. $to fixes the
// end: a CMOC, or a concept in the outcome or mechanism of the last one. With
// $to alone the start is the end that may be cut. cycle: the earliest CMOC of
// the chain the last one links back to. Order: the id list [m1, c1, m2, ...].
// The same rows as `ptgraph query chains` (docs/graph-model.md).
:param from => null;
:param to => null;
:param max_length => 6;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
// An id naming both a CMOC and a concept is taken as the CMOC.
OPTIONAL MATCH (fromCmoc:CMOC {theory: $theory, id: $from})
OPTIONAL MATCH (toCmoc:CMOC {theory: $theory, id: $to})
MATCH (m1:CMOC {theory: $theory})
WHERE $from IS NULL OR m1 = fromCmoc
   OR (fromCmoc IS NULL AND EXISTS { (m1)-[:HAS_CONTEXT]->(:Concept {id: $from}) })
// The CMOCs linking to the first one: a chain without from or to must hold them all.
WITH toCmoc, m1, COLLECT { MATCH (x:CMOC)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(m1)
                           WHERE x <> m1 RETURN DISTINCT x } AS before
WITH toCmoc, m1, before, $from IS NULL AND $to IS NULL AS whole
WHERE (NOT whole OR size(before) < $max_length)
  // A CMOC that links to no other begins no chain: its growth is not tried.
  AND EXISTS { MATCH (m1)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(x:CMOC) WHERE x <> m1 }
// Grow the chains one link at a time, [m1, c1, m2, c2, ...], never back to a CMOC
// already in. A chain that must hold all of them never leaves too many out.
UNWIND reduce(grown = [[m1]], k IN range(1, $max_length - 1) | grown + COLLECT {
         UNWIND grown AS chain
         WITH chain, chain[-1] AS last WHERE size(chain) = 2 * k - 1
         MATCH (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(c:Concept)<-[:HAS_CONTEXT]-(n:CMOC)
         WHERE NOT n IN chain
           AND (NOT whole OR size([x IN before WHERE x <> n AND NOT x IN chain]) < $max_length - k)
         RETURN DISTINCT chain + [c, n] }) AS chain
WITH toCmoc, m1, before, chain, chain[-1] AS last
WHERE size(chain) > 1
WITH toCmoc, [i IN range(0, size(chain) - 1, 2) | chain[i]] AS ms,
     [i IN range(1, size(chain) - 2, 2) | chain[i]] AS cs, last,
     any(x IN before WHERE NOT x IN chain) AS open,
     EXISTS { MATCH (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(x:CMOC)
              WHERE NOT x IN chain } AS after
WHERE CASE WHEN $to IS NULL
        THEN (NOT after OR size(ms) = $max_length) AND ($from IS NOT NULL OR NOT open)
        ELSE (last = toCmoc OR (toCmoc IS NULL
                                AND EXISTS { (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept {id: $to}) }))
             AND ($from IS NOT NULL OR NOT open OR size(ms) = $max_length)
      END
RETURN [m IN ms | m.id] AS cmocs,
       [x IN cs | x.id] AS concepts,
       [m IN ms | head([(m)-[:IN_AREA]->(a:Area) | a.id])] AS areas,
       size(ms) AS length,
       head([m IN ms[..-1]
             WHERE EXISTS { (last)-[:HAS_OUTCOME|HAS_MECHANISM]->(:Concept)<-[:HAS_CONTEXT]-(m) }
             | m.id]) AS cycle,
       CASE WHEN $to IS NULL THEN after WHEN $from IS NULL THEN open ELSE false END AS truncated
ORDER BY reduce(key = [cmocs[0]], i IN range(0, size(concepts) - 1) | key + [concepts[i], cmocs[i + 1]])
LIMIT coalesce($limit, 9223372036854775807);
