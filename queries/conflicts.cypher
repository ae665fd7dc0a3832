// conflicts: configurations that contradict each other, and claims resting on refuted or mixed ground
// Only CMOCs of one configuration (the same contexts and mechanisms, and the
// same resources, interventions and actors) can contradict each other, and
// contexts any one of which will do (context_any) make another configuration
// than the same contexts all together. CMOCs that differ
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
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS mech,
       COLLECT { MATCH (m)-[:HAS_RESOURCE]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS res,
       COLLECT { MATCH (m)-[:HAS_INTERVENTION]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS itv,
       COLLECT { MATCH (m)-[:HAS_ACTOR]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] } AS act
  WITH ctx, ctx_any, res, mech, itv, act, collect({
    id: m.id,
    out: COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept)
                   WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] },
    supporting: COUNT { (:Evidence)-[:SUPPORTS]->(m) },
    refuting: COUNT { (:Evidence)-[:REFUTES]->(m) }
  }) AS same
  // the configuration as the reasons quote it: "context A and mechanism M", with
  // resources, interventions and actors where it has them, contexts joined by +
  // (all of them) or by or (any one)
  WITH ctx, res, mech, itv, act, same,
       [p IN [['context', ctx], ['resource', res], ['mechanism', mech], ['intervention', itv], ['actor', act]]
        WHERE p[1] <> []
        | p[0] + CASE size(p[1]) WHEN 1 THEN '' ELSE 's' END + ' '
          + reduce(s = '', x IN p[1] | s + CASE WHEN s = '' THEN ''
                                           WHEN p[0] = 'context' AND ctx_any THEN ' or ' ELSE ' + ' END
                                     + "'" + x[1] + "'")] AS said
  WITH ctx, res, mech, itv, act, same,
       reduce(s = '', i IN range(0, size(said) - 1)
              | s + CASE WHEN i = 0 THEN '' WHEN i = size(said) - 1 THEN ' and ' ELSE ', ' END + said[i]) AS config
  CALL (ctx, res, mech, itv, act, same, config) {
    // opposing-outcomes, divergent-outcomes: the pairs with different outcomes
    UNWIND same AS a
    UNWIND same AS b
    WITH a, b WHERE a.id < b.id AND a.out <> b.out
    WITH a, b,
         COLLECT { UNWIND a.out AS x UNWIND b.out AS y
                   WITH x, y WHERE x[0] <> y[0] AND EXISTS {
                     MATCH (:Concept {theory: $theory, id: x[0]})-[:OPPOSES]-(:Concept {theory: $theory, id: y[0]}) }
                   RETURN [x, y] ORDER BY x[0], y[0] } AS clash,
         a.id + ' and ' + b.id + ' share ' + config AS shared
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
           COLLECT { UNWIND ctx + res + mech + itv + act AS x RETURN DISTINCT x[0] AS id ORDER BY id } AS concepts,
           'Evidence on ' + config + ' points both ways ('
             + reduce(s = '', x IN found | s + CASE s WHEN '' THEN '' ELSE '; ' END + x.id + ': '
                      + toString(x.supporting) + ' supporting, ' + toString(x.refuting) + ' refuting')
             + ').' AS reason
  }
  RETURN kind, cmocs, concepts, reason
  UNION ALL
  // refuted-in-pathway: a refuted CMOC that is a pathway step, or whose own claims
  // (from a part of its causal order, context, resource or mechanism, to a later
  // one, resource, mechanism or outcome, made by no CMOC that is not refuted) a
  // pathway steps along, in order but not necessarily adjacent
  CALL () {
    // the causal order of the parts of a CMOC
    WITH {HAS_CONTEXT: 0, HAS_RESOURCE: 1, HAS_MECHANISM: 2, HAS_OUTCOME: 3} AS causal
    MATCH (p:Pathway {theory: $theory})-[s1:STEP]->(a:Concept), (p)-[s2:STEP]->(b:Concept)
    WHERE s1.order < s2.order AND ($kind IS NULL OR $kind = 'refuted-in-pathway')
    MATCH (a)<-[r1:HAS_CONTEXT|HAS_RESOURCE|HAS_MECHANISM]-(n:CMOC {status: 'refuted'})
          -[r2:HAS_RESOURCE|HAS_MECHANISM|HAS_OUTCOME]->(b)
    WHERE causal[type(r1)] < causal[type(r2)]
      AND NOT EXISTS {
        MATCH (a)<-[q1:HAS_CONTEXT|HAS_RESOURCE|HAS_MECHANISM]-(o:CMOC)
              -[q2:HAS_RESOURCE|HAS_MECHANISM|HAS_OUTCOME]->(b)
        WHERE causal[type(q1)] < causal[type(q2)] AND coalesce(o.status, '') <> 'refuted' }
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
