// contrasts: one mechanism (resource, intervention) across the contexts it fires in, or one context across the mechanisms it triggers
// The realist contrast. A row is a concept that two or more CMOCs name as their
// mechanism (by mechanism), resource (by resource), intervention (by
// intervention) or context (by context), when two of those CMOCs differ in
// context (by context: in mechanism, that is in resources or reasoning). Roles
// compare as sets of concept ids, contexts with their mode: any one of a and b
// (context_any) is not a and b together. CMOCs marked refuted are left out.
// pattern, over the pairs that differ: opposing (an outcome of one OPPOSES an
// outcome of the other), else context-dependent or mechanism-dependent
// (different outcomes), else demi-regularity or equifinality (the same outcome).
// contexts, mechanisms, outcomes (ids joined by +, contexts any one of which will
// do by "or"), quotes and refuting hold one entry per CMOC, in the order of
// cmocs. $concept keeps one concept. Order: pattern, concept.
// The same rows as `ptgraph query contrasts` (docs/graph-model.md).
:param by => 'mechanism';
:param concept => null;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
MATCH (k:Concept {theory: $theory})
WHERE $concept IS NULL OR k.id = $concept
// The CMOCs naming k in the role grouped on, in id order, each with its roles as
// sorted lists of [id, label] pairs, vary (the role compared, and differ: with the
// mode of the contexts), also (the other concepts it names in the role grouped on), and
// the sentence parts naming it.
WITH k, COLLECT {
  MATCH (k)<-[r:HAS_MECHANISM|HAS_CONTEXT|HAS_RESOURCE|HAS_INTERVENTION]-(m:CMOC)
  WHERE type(r) = 'HAS_' + toUpper($by) AND coalesce(m.status, '') <> 'refuted'
  WITH DISTINCT m
  WITH m, coalesce(m.context_any, false) AS ctx_any,
       COLLECT { MATCH (m)-[g]->(c:Concept) WHERE type(g) = 'HAS_' + toUpper($by)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS grp,
       COLLECT { MATCH (m)-[:HAS_RESOURCE]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS res,
       COLLECT { MATCH (m)-[:HAS_CONTEXT]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS ctx,
       COLLECT { MATCH (m)-[:HAS_MECHANISM]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS mech,
       COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS out
  WITH m, ctx, res, mech, out, ctx_any,
       CASE $by WHEN 'context' THEN mech ELSE ctx END AS vary,
       CASE WHEN $by <> 'context' AND ctx_any THEN ' or ' ELSE ' + ' END AS vsep,
       CASE ctx_any WHEN true THEN ' or ' ELSE ' + ' END AS csep,
       [x IN grp WHERE x[0] <> k.id] AS also
  RETURN {
    id: m.id, out: out, vary: vary,
    differ: CASE $by WHEN 'context' THEN [res, mech] ELSE [ctx, ctx_any] END,
    opp: COLLECT { MATCH (m)-[:HAS_OUTCOME]->(x:Concept)-[:OPPOSES]-(y:Concept)
                   WHERE y <> x RETURN DISTINCT y.id },
    contexts: reduce(s = '', x IN ctx | s + CASE s WHEN '' THEN '' ELSE csep END + x[0]),
    mechanisms: reduce(s = '', x IN mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + x[0]),
    outcomes: reduce(s = '', x IN out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + x[0]),
    quotes: COUNT { MATCH (e:Evidence)-[:SUPPORTS]->(m) RETURN DISTINCT e },
    refuting: COUNT { MATCH (e:Evidence)-[:REFUTES]->(m) RETURN DISTINCT e },
    // by context, a mechanism with a resource reads "resource" then "reasoning"
    varies: CASE WHEN $by = 'context' AND res <> []
                 THEN reduce(s = '', x IN res | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
                      + ' then ' ELSE '' END
            + reduce(s = '', x IN vary | s + CASE s WHEN '' THEN '' ELSE vsep END + "'" + x[1] + "'"),
    outs: reduce(s = '', x IN out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'"),
    tag: '(' + m.id + CASE also WHEN [] THEN ''
                         ELSE CASE WHEN $by = 'mechanism' THEN ', also through '
                                   WHEN $by <> 'context' THEN ', also with '
                                   WHEN ctx_any THEN ', or given ' ELSE ', also given ' END
                              + reduce(s = '', x IN also | s + CASE s WHEN '' THEN '' ELSE ' + ' END
                                       + "'" + x[1] + "'") END + ')'
  } AS entry ORDER BY entry.id
} AS same
WHERE size(same) >= 2
  AND size(COLLECT { UNWIND same AS x RETURN DISTINCT x.differ }) >= 2
// Two of them differ in the role compared. The pairs that differ with opposing
// outcomes (an outcome of b opposes one of a), each with those outcomes. The
// other pairs are never listed: there may be very many, and whether their
// outcomes differ is whether any two outcome sets differ.
WITH k, same, COLLECT {
  UNWIND same AS a
  UNWIND same AS b
  WITH a, b WHERE a.id < b.id AND any(y IN b.out WHERE y[0] IN a.opp) AND a.differ <> b.differ
  RETURN {a: a, b: b, clash: COLLECT {
    UNWIND a.out AS x UNWIND b.out AS y
    WITH x, y WHERE x[0] <> y[0] AND EXISTS {
      MATCH (:Concept {theory: $theory, id: x[0]})-[:OPPOSES]-(:Concept {theory: $theory, id: y[0]}) }
    RETURN [x, y] ORDER BY x[0], y[0] }} AS pair ORDER BY pair.a.id, pair.b.id
} AS clashes
WITH k, same, clashes,
     CASE WHEN clashes <> [] THEN 0
          WHEN size(COLLECT { UNWIND same AS x RETURN DISTINCT x.out }) >= 2 THEN 1 ELSE 2 END AS rank
WITH k, same, clashes, rank,
     CASE $by WHEN 'context' THEN ['opposing', 'mechanism-dependent', 'equifinality'][rank]
          ELSE ['opposing', 'context-dependent', 'demi-regularity'][rank] END AS pattern,
     CASE $by WHEN 'context' THEN 'In ' + "'" + coalesce(k.label, k.id) + "'" + ', different mechanisms lead to'
          ELSE "'" + coalesce(k.label, k.id) + "'" + ' leads to' END AS head,
     CASE $by WHEN 'context' THEN '' ELSE ' in different contexts' END AS where,
     CASE $by WHEN 'context' THEN 'through ' ELSE 'in ' END AS word
RETURN k.id AS concept,
       pattern,
       [x IN same | x.id] AS cmocs,
       [x IN same | x.contexts] AS contexts,
       [x IN same | x.mechanisms] AS mechanisms,
       [x IN same | x.outcomes] AS outcomes,
       [x IN same | x.quotes] AS quotes,
       [x IN same | x.refuting] AS refuting,
       CASE rank
         WHEN 0 THEN head + ' opposing outcomes' + where + ': '
           + reduce(s = '', p IN clashes | reduce(t = s, xy IN p.clash | t + CASE t WHEN '' THEN '' ELSE '; ' END
                    + "'" + xy[0][1] + "' " + word + p.a.varies + ' ' + p.a.tag + " vs '"
                    + xy[1][1] + "' " + word + p.b.varies + ' ' + p.b.tag))
         WHEN 1 THEN head + ' different outcomes' + where + ': '
           + reduce(s = '', x IN same | s + CASE s WHEN '' THEN '' ELSE '; ' END
                    + CASE $by WHEN 'context' THEN '' ELSE 'in ' END
                    + x.varies + ' to ' + x.outs + ' ' + x.tag)
         ELSE head + ' the same outcome' + CASE size(same[0].out) WHEN 1 THEN '' ELSE 's' END + ' '
           + same[0].outs + where + ': '
           + reduce(s = '', x IN same | s + CASE s WHEN '' THEN '' ELSE '; ' END + x.varies + ' ' + x.tag)
       END + '.' AS reason
ORDER BY rank, concept
LIMIT coalesce($limit, 9223372036854775807);
