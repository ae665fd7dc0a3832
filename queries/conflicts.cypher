// conflicts: configurations that contradict each other, and claims resting on refuted or mixed ground
// Only CMOCs of one configuration (the same contexts and mechanisms) can
// contradict each other, and contexts any one of which will do (context_any) make
// another configuration than the same contexts all together. CMOCs that differ
// in context or mechanism are compared by contrasts.cypher instead. Kinds, with
// their level:
//   opposing-outcomes (error): two CMOCs with the same contexts and mechanisms,
//     an outcome of one OPPOSES an outcome of the other.
//   divergent-outcomes (warning): the same, with different outcomes, none opposing.
//   refuted-in-pathway (error): a refuted CMOC a pathway still relies on.
//   mixed-evidence (warning): evidence both supports and refutes the CMOCs
//     sharing contexts and mechanisms.
// Refuted CMOCs are left out of the comparisons. $kind keeps one kind. Order:
// level, kind, cmocs. The same rows as `ptgraph query conflicts` (docs/graph-model.md).
:param kind => null;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
// Each kind is found in a branch of a UNION ALL, and no row holds the whole
// theory: CMOCs are grouped on their configuration, and the pathway findings
// start from the pathway steps. A list of every configuration in one variable
// would be charged to each row the final sort keeps (out of memory at 10,000
// CMOCs), and looking for every refuted CMOC along every pathway is slow. A
// branch of no kind $kind asks for finds nothing.
CALL () {
  // opposing-outcomes, divergent-outcomes, mixed-evidence: the CMOCs with the same
  // contexts (and their mode, any) and mechanisms. Every role a sorted list of
  // [id, label] pairs, so that configurations compare as sets and the reasons can
  // quote the labels.
  MATCH (m:CMOC {theory: $theory})
  WHERE coalesce(m.status, '') <> 'refuted'
    AND ($kind IS NULL OR $kind IN ['opposing-outcomes', 'divergent-outcomes', 'mixed-evidence'])
  WITH m, coalesce(m.context_any, false) AS ctx_any,
       COLLECT { MATCH (m)-[:HAS_CONTEXT]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS ctx,
       COLLECT { MATCH (m)-[:HAS_MECHANISM]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS mech
  WITH ctx, ctx_any, mech, collect({
    id: m.id,
    out: COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept)
                   WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] },
    supporting: COUNT { (:Evidence)-[:SUPPORTS]->(m) },
    refuting: COUNT { (:Evidence)-[:REFUTES]->(m) }
  }) AS same
  // the contexts as the reasons quote them: joined by + (all of them) or by or (any one)
  WITH ctx, mech, same,
       reduce(s = '', x IN ctx | s + CASE s WHEN '' THEN '' ELSE CASE ctx_any WHEN true THEN ' or ' ELSE ' + ' END END
                                 + "'" + x[1] + "'") AS contexts
  CALL (ctx, mech, same, contexts) {
    // opposing-outcomes, divergent-outcomes: the pairs with different outcomes
    UNWIND same AS a
    UNWIND same AS b
    WITH a, b WHERE a.id < b.id AND a.out <> b.out
    WITH a, b,
         COLLECT { UNWIND a.out AS x UNWIND b.out AS y
                   WITH x, y WHERE x[0] <> y[0] AND EXISTS {
                     MATCH (:Concept {theory: $theory, id: x[0]})-[:OPPOSES]-(:Concept {theory: $theory, id: y[0]}) }
                   RETURN [x, y] ORDER BY x[0], y[0] } AS clash,
         a.id + ' and ' + b.id + ' share context' + CASE size(ctx) WHEN 1 THEN '' ELSE 's' END + ' '
           + contexts
           + ' and mechanism' + CASE size(mech) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', x IN mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'") AS shared
    RETURN CASE WHEN clash = [] THEN 'divergent-outcomes' ELSE 'opposing-outcomes' END AS kind,
           [a.id, b.id] AS cmocs,
           CASE WHEN clash = []
             THEN COLLECT { UNWIND a.out + b.out AS x WITH x WHERE NOT (x IN a.out AND x IN b.out)
                            RETURN DISTINCT x[0] AS id ORDER BY id }
             ELSE COLLECT { UNWIND clash AS pair UNWIND pair AS x RETURN DISTINCT x[0] AS id ORDER BY id }
           END AS concepts,
           CASE WHEN clash = []
             THEN shared + ' but lead to different outcomes: '
               + reduce(s = '', x IN a.out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
               + ' (' + a.id + ') vs '
               + reduce(s = '', x IN b.out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
               + ' (' + b.id + ').'
             ELSE shared + ' but lead to opposing outcomes: '
               + reduce(s = '', pair IN clash | s + CASE s WHEN '' THEN '' ELSE '; ' END
                        + "'" + pair[0][1] + "' (" + a.id + ") vs '" + pair[1][1] + "' (" + b.id + ")")
               + '.'
           END AS reason
    UNION ALL
    // mixed-evidence: evidence both ways on the group (perhaps one CMOC)
    WITH same WHERE any(x IN same WHERE x.supporting > 0) AND any(x IN same WHERE x.refuting > 0)
    WITH COLLECT { UNWIND same AS x WITH x WHERE x.supporting + x.refuting > 0
                   RETURN x ORDER BY x.id } AS found
    RETURN 'mixed-evidence' AS kind,
           [x IN found | x.id] AS cmocs,
           COLLECT { UNWIND ctx + mech AS x RETURN DISTINCT x[0] AS id ORDER BY id } AS concepts,
           'Evidence on context' + CASE size(ctx) WHEN 1 THEN '' ELSE 's' END + ' '
             + contexts
             + ' and mechanism' + CASE size(mech) WHEN 1 THEN '' ELSE 's' END + ' '
             + reduce(s = '', x IN mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
             + ' points both ways ('
             + reduce(s = '', x IN found | s + CASE s WHEN '' THEN '' ELSE '; ' END + x.id + ': '
                      + toString(x.supporting) + ' supporting, ' + toString(x.refuting) + ' refuting')
             + ').' AS reason
  }
  RETURN kind, cmocs, concepts, reason
  UNION ALL
  // refuted-in-pathway: a refuted CMOC that is a pathway step, or whose own claims
  // (context to mechanism or outcome, mechanism to outcome, made by no CMOC that
  // is not refuted) a pathway steps along, in order but not necessarily adjacent
  CALL () {
    MATCH (p:Pathway {theory: $theory})-[s1:STEP]->(a:Concept), (p)-[s2:STEP]->(b:Concept)
    WHERE s1.order < s2.order AND ($kind IS NULL OR $kind = 'refuted-in-pathway')
    MATCH (a)<-[r1:HAS_CONTEXT|HAS_MECHANISM]-(n:CMOC {status: 'refuted'})-[r2:HAS_MECHANISM|HAS_OUTCOME]->(b)
    WHERE (type(r1) = 'HAS_CONTEXT' OR type(r2) = 'HAS_OUTCOME')
      AND NOT EXISTS {
        MATCH (a)<-[q1:HAS_CONTEXT|HAS_MECHANISM]-(o:CMOC)-[q2:HAS_MECHANISM|HAS_OUTCOME]->(b)
        WHERE (type(q1) = 'HAS_CONTEXT' OR type(q2) = 'HAS_OUTCOME')
          AND coalesce(o.status, '') <> 'refuted' }
    RETURN n, p, [a.id, b.id] AS pair
    UNION
    MATCH (p:Pathway {theory: $theory})-[:STEP]->(n:CMOC {status: 'refuted'})
    WHERE $kind IS NULL OR $kind = 'refuted-in-pathway'
    RETURN n, p, null AS pair
  }
  WITH n, collect(DISTINCT p) AS used, collect(pair) AS pairs
  WITH n, pairs, COLLECT { UNWIND used AS p RETURN p ORDER BY p.id } AS used
  RETURN 'refuted-in-pathway' AS kind,
         [n.id] AS cmocs,
         COLLECT { UNWIND pairs AS pair UNWIND pair AS id RETURN DISTINCT id ORDER BY id } AS concepts,
         n.id + ' is marked refuted but pathway' + CASE size(used) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', p IN used | s + CASE s WHEN '' THEN '' ELSE ', ' END
                    + "'" + coalesce(p.label, p.id) + "' (" + p.id + ')')
           + ' still rely on it.' AS reason
}
WITH kind, cmocs, concepts, reason
WHERE $kind IS NULL OR kind = $kind
RETURN kind,
       CASE kind WHEN 'opposing-outcomes' THEN 'error' WHEN 'refuted-in-pathway' THEN 'error'
                 ELSE 'warning' END AS level,
       cmocs, concepts, reason
ORDER BY CASE level WHEN 'error' THEN 0 ELSE 1 END, kind, cmocs
LIMIT coalesce($limit, 9223372036854775807);
