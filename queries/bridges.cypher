// bridges: joins of configurations that no CMOC asserts, as hypotheses
// A bridge is CMOCs m and n and a concept c where c is produced by m (its
// mechanism or outcome) and is a mechanism (or a resource) of n but not a
// context of n. A walk
// along TRIGGERS and PRODUCES edges could go on there, from the edge of m into
// c to the edge of n from c to its outcome, but no CMOC asserts that c, as m
// produces it, leads there: n claims it only in its own contexts. These are
// exactly the joins a causal path may not make (paths.cypher), listed as
// candidates for theory testing. $cmoc keeps the bridges from or to one CMOC,
// $concept those at one concept. Columns: cmocs [m, n], concept, contexts and
// outcomes of n (sorted), reason (which says when every context of n is one
// of m too, or one of them when any one will do (context_any), and m needs all
// of its own, so that the claim of n may cover the join). Order: cmocs, concept.
// The same rows as `ptgraph query bridges` (docs/graph-model.md).
:param cmoc => null;
:param concept => null;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
MATCH (m:CMOC {theory: $theory})-[:HAS_MECHANISM|HAS_OUTCOME]->(c:Concept)
      <-[:HAS_RESOURCE|HAS_MECHANISM]-(n:CMOC)
WHERE m <> n AND NOT EXISTS { (n)-[:HAS_CONTEXT]->(c) }
  AND ($cmoc IS NULL OR $cmoc IN [m.id, n.id]) AND ($concept IS NULL OR c.id = $concept)
WITH DISTINCT m, c, n
WITH m, c, n,
     COLLECT { MATCH (n)-[:HAS_CONTEXT]->(x:Concept) RETURN x ORDER BY x.id } AS contexts,
     COLLECT { MATCH (n)-[:HAS_OUTCOME]->(x:Concept) RETURN x ORDER BY x.id } AS outcomes
// The reason sentence, as ptgraph.queries.bridges.describe_bridge words it.
WITH m, c, n, contexts, outcomes,
     reduce(s = "", i IN range(0, size(contexts) - 1)
            | s + CASE WHEN i = 0 THEN "" WHEN n.context_any THEN " or " ELSE " + " END
            + "'" + coalesce(contexts[i].label, contexts[i].id) + "'") AS saidContexts,
     reduce(s = "", i IN range(0, size(outcomes) - 1) | s + CASE WHEN i > 0 THEN " + " ELSE "" END
            + "'" + coalesce(outcomes[i].label, outcomes[i].id) + "'") AS saidOutcomes
RETURN [m.id, n.id] AS cmocs, c.id AS concept,
       [x IN contexts | x.id] AS contexts, [x IN outcomes | x.id] AS outcomes,
       "No CMOC asserts that '" + coalesce(c.label, c.id) + "', as " + m.id
       + " produces it, leads to " + saidOutcomes + ": " + n.id + " claims that only in "
       + CASE size(contexts) WHEN 1 THEN "context " ELSE "contexts " END + saidContexts
       // the claim of n may cover the join where m is in the situation of n: in every
       // context n needs or, when any one of them will do (context_any), in one of them,
       // and only an m that needs all its contexts is sure to be in them
       + CASE WHEN m.context_any IS NULL AND CASE WHEN n.context_any
                        THEN any(x IN contexts WHERE EXISTS { (m)-[:HAS_CONTEXT]->(x) })
                        ELSE all(x IN contexts WHERE EXISTS { (m)-[:HAS_CONTEXT]->(x) }) END
              THEN CASE WHEN n.context_any THEN ", one of which " ELSE ", which " END
                   + m.id + " shares, so " + n.id + "'s own claim may cover it."
              ELSE ". A hypothesis, a candidate for theory testing." END AS reason
ORDER BY cmocs, concept
LIMIT coalesce($limit, 9223372036854775807);
