// conflicts: configurations that disagree, and claims resting on refuted or mixed ground
// Kinds, with their level:
//   opposing-outcomes (error): two CMOCs with the same contexts and mechanisms,
//     an outcome of one OPPOSES an outcome of the other.
//   divergent-outcomes (warning): the same, with different outcomes, none opposing.
//   alternative-mechanisms (info): same contexts and outcomes, other mechanisms.
//   refuted-in-pathway (error): a refuted CMOC a pathway still relies on.
//   mixed-evidence (warning): evidence both supports and refutes the CMOCs
//     sharing contexts and mechanisms.
// Refuted CMOCs are left out of the comparisons. $kind keeps one kind. Order:
// level, kind, cmocs. The same rows as `ptgraph query conflicts` (docs/graph-model.md).
:param theory => 'buy-in';
:param kind => null;
:param limit => null;
// The configuration of each CMOC, every role a sorted list of [id, label] pairs,
// so that configurations compare as sets and the reasons can quote the labels.
MATCH (m:CMOC {theory: $theory})
WITH collect({
  id: m.id,
  refuted: coalesce(m.status, '') = 'refuted',
  ctx: COLLECT { MATCH (m)-[:HAS_CONTEXT]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] },
  mech: COLLECT { MATCH (m)-[:HAS_MECHANISM]->(c:Concept)
                  WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] },
  out: COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept)
                 WITH DISTINCT c ORDER BY c.id RETURN [c.id, coalesce(c.label, c.id)] },
  supporting: COUNT { (:Evidence)-[:SUPPORTS]->(m) },
  refuting: COUNT { (:Evidence)-[:REFUTES]->(m) }
}) AS configurations
CALL (configurations) {
  // opposing-outcomes, divergent-outcomes: pairs with the same contexts and mechanisms
  UNWIND configurations AS m
  WITH m WHERE NOT m.refuted
  WITH m.ctx AS ctx, m.mech AS mech, collect(m) AS same
  UNWIND same AS a
  UNWIND same AS b
  WITH ctx, mech, a, b WHERE a.id < b.id AND a.out <> b.out
  WITH ctx, mech, a, b,
       COLLECT { UNWIND a.out AS x UNWIND b.out AS y
                 WITH x, y WHERE x[0] <> y[0] AND EXISTS {
                   MATCH (:Concept {theory: $theory, id: x[0]})-[:OPPOSES]-(:Concept {theory: $theory, id: y[0]}) }
                 RETURN [x, y] ORDER BY x[0], y[0] } AS clash,
       a.id + ' and ' + b.id + ' share context' + CASE size(ctx) WHEN 1 THEN '' ELSE 's' END + ' '
         + reduce(s = '', x IN ctx | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
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
  // mixed-evidence: CMOCs sharing contexts and mechanisms (perhaps one) with evidence both ways
  UNWIND configurations AS m
  WITH m WHERE NOT m.refuted
  WITH m.ctx AS ctx, m.mech AS mech, collect(m) AS same
  WHERE any(x IN same WHERE x.supporting > 0) AND any(x IN same WHERE x.refuting > 0)
  WITH ctx, mech, COLLECT { UNWIND same AS x WITH x WHERE x.supporting + x.refuting > 0
                            RETURN x ORDER BY x.id } AS found
  RETURN 'mixed-evidence' AS kind,
         [x IN found | x.id] AS cmocs,
         COLLECT { UNWIND ctx + mech AS x RETURN DISTINCT x[0] AS id ORDER BY id } AS concepts,
         'Evidence on context' + CASE size(ctx) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', x IN ctx | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
           + ' and mechanism' + CASE size(mech) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', x IN mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
           + ' points both ways ('
           + reduce(s = '', x IN found | s + CASE s WHEN '' THEN '' ELSE '; ' END + x.id + ': '
                    + toString(x.supporting) + ' supporting, ' + toString(x.refuting) + ' refuting')
           + ').' AS reason
  UNION ALL
  // alternative-mechanisms: pairs with the same contexts and outcomes
  UNWIND configurations AS m
  WITH m WHERE NOT m.refuted
  WITH m.ctx AS ctx, m.out AS out, collect(m) AS same
  UNWIND same AS a
  UNWIND same AS b
  WITH ctx, out, a, b WHERE a.id < b.id AND a.mech <> b.mech
  RETURN 'alternative-mechanisms' AS kind,
         [a.id, b.id] AS cmocs,
         COLLECT { UNWIND a.mech + b.mech AS x WITH x WHERE NOT (x IN a.mech AND x IN b.mech)
                   RETURN DISTINCT x[0] AS id ORDER BY id } AS concepts,
         a.id + ' and ' + b.id + ' explain the same outcome' + CASE size(out) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', x IN out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
           + ' in context' + CASE size(ctx) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', x IN ctx | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
           + ' through different mechanisms: '
           + reduce(s = '', x IN a.mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
           + ' (' + a.id + ') vs '
           + reduce(s = '', x IN b.mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + "'" + x[1] + "'")
           + ' (' + b.id + ').' AS reason
  UNION ALL
  // refuted-in-pathway: a refuted CMOC that is a pathway step, or whose own claims
  // (context to mechanism or outcome, mechanism to outcome, made by no CMOC that
  // is not refuted) a pathway steps along, in order but not necessarily adjacent
  MATCH (n:CMOC {theory: $theory, status: 'refuted'})
  WITH n, COLLECT {
    MATCH (a:Concept)<-[r1:HAS_CONTEXT|HAS_MECHANISM]-(n)-[r2:HAS_MECHANISM|HAS_OUTCOME]->(b:Concept)
    WHERE (type(r1) = 'HAS_CONTEXT' OR type(r2) = 'HAS_OUTCOME')
      AND NOT EXISTS {
        MATCH (a)<-[s1:HAS_CONTEXT|HAS_MECHANISM]-(o:CMOC)-[s2:HAS_MECHANISM|HAS_OUTCOME]->(b)
        WHERE (type(s1) = 'HAS_CONTEXT' OR type(s2) = 'HAS_OUTCOME')
          AND coalesce(o.status, '') <> 'refuted' }
    RETURN DISTINCT [a.id, b.id] } AS own
  WITH n, COLLECT {
    MATCH (p:Pathway {theory: $theory})
    WITH p, COLLECT { MATCH (p)-[s:STEP]->(x:Concept) RETURN x.id ORDER BY s.order } AS ids
    WITH p, reduce(pairs = [], i IN range(0, size(ids) - 1) |
                   pairs + [j IN range(i + 1, size(ids) - 1) WHERE [ids[i], ids[j]] IN own
                            | [ids[i], ids[j]]]) AS pairs
    WHERE pairs <> [] OR EXISTS { (p)-[:STEP]->(n) }
    RETURN {id: p.id, label: coalesce(p.label, p.id), pairs: pairs} ORDER BY p.id } AS used
  WHERE used <> []
  RETURN 'refuted-in-pathway' AS kind,
         [n.id] AS cmocs,
         COLLECT { UNWIND used AS u UNWIND u.pairs AS pair UNWIND pair AS id
                   RETURN DISTINCT id ORDER BY id } AS concepts,
         n.id + ' is marked refuted but pathway' + CASE size(used) WHEN 1 THEN '' ELSE 's' END + ' '
           + reduce(s = '', u IN used | s + CASE s WHEN '' THEN '' ELSE ', ' END
                    + "'" + u.label + "' (" + u.id + ')')
           + ' still rely on it.' AS reason
}
WITH kind, cmocs, concepts, reason
WHERE $kind IS NULL OR kind = $kind
RETURN kind,
       CASE kind WHEN 'opposing-outcomes' THEN 'error' WHEN 'refuted-in-pathway' THEN 'error'
                 WHEN 'alternative-mechanisms' THEN 'info' ELSE 'warning' END AS level,
       cmocs, concepts, reason
ORDER BY CASE level WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, kind, cmocs
LIMIT coalesce($limit, 9223372036854775807);
