// cross-contrasts: one term across the contexts (or mechanisms) of CMOCs of different theories
// The realist contrast across studies. A row is a term x that CMOCs of two or
// more theories use in the role $by (mechanism, resource, intervention or
// context: a concept in that role maps to x, exact or close), when two of them,
// of different theories, differ: in their contexts (as terms, a context that maps
// to no term being its own theory:concept, and with context_any), or, by context,
// in their resources and mechanisms. CMOCs marked refuted are left out. pattern:
// opposing (two that differ have outcome terms that OPPOSE in some theory), else
// demi-regularity or equifinality (the same outcome terms), else
// outcomes-unmapped, else context-dependent or mechanism-dependent. Order:
// pattern, term. The same rows as `ptgraph across cross-contrasts` (docs/graph-model.md).
:param by => 'mechanism';
:param term => null;
:param limit => null;
:param theories => null;
// $vocabulary: the only vocabulary in the database. With several, this line stops the
// file, lists them and leaves $vocabulary as it was: choose one with :param vocabulary,
// then run the query on its own. With none, it says so.
:param vocabulary => [ids IN [COLLECT { MATCH (v:Vocabulary) WHERE v.theory = v.id RETURN v.id ORDER BY v.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no shared vocabulary is loaded in this database. Load one with  ptgraph load VOCABULARY_DIR  and the theories that map to it, and run this file again." ELSE toString(size(ids)) + " vocabularies are loaded in this database, so this file cannot tell which one to query, and the vocabulary parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param vocabulary => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
MATCH (x:Term {theory: $vocabulary})
WHERE $term IS NULL OR x.id = $term
// The CMOCs using x, each with cmp (what two must differ in) and okey (outcome
// terms, then theory:concept for each outcome that maps to no term).
WITH x, COLLECT {
  MATCH (x)<-[r:MAPS_TO]-(c:Concept)<-[h]-(m:CMOC)
  WHERE r.match IN ['exact', 'close'] AND type(h) = 'HAS_' + toUpper($by)
    AND coalesce(m.status, '') <> 'refuted' AND ($theories IS NULL OR m.theory IN $theories)
  WITH DISTINCT m
  CALL (m) {
    // each role as a key: its terms, then theory:concept for each concept mapping to none
    UNWIND ['context', 'resource', 'mechanism', 'outcome'] AS role
    RETURN collect([role,
      COLLECT { MATCH (m)-[h2]->(:Concept)-[q:MAPS_TO]->(t:Term {theory: $vocabulary})
                WHERE type(h2) = 'HAS_' + toUpper(role) AND q.match IN ['exact', 'close']
                RETURN DISTINCT t.id AS id ORDER BY id }
      + COLLECT { MATCH (m)-[h2]->(c:Concept) WHERE type(h2) = 'HAS_' + toUpper(role)
                    AND NOT EXISTS { MATCH (c)-[q:MAPS_TO]->(:Term {theory: $vocabulary})
                                     WHERE q.match IN ['exact', 'close'] }
                  RETURN DISTINCT m.theory + ':' + c.id AS id ORDER BY id }]) AS keys
  }
  WITH m, [k IN keys WHERE k[0] = 'context'][0][1] AS ckey, [k IN keys WHERE k[0] = 'resource'][0][1] AS rkey,
       [k IN keys WHERE k[0] = 'mechanism'][0][1] AS mkey, [k IN keys WHERE k[0] = 'outcome'][0][1] AS okey,
       COLLECT { MATCH (m)-[:HAS_OUTCOME]->(:Concept)-[q:MAPS_TO]->(t:Term {theory: $vocabulary})
                 WHERE q.match IN ['exact', 'close'] RETURN DISTINCT t.id AS id ORDER BY id } AS oterms,
       COLLECT { MATCH (m)-[:HAS_CONTEXT]->(c:Concept) RETURN DISTINCT c.id AS id ORDER BY id } AS ctx,
       COLLECT { MATCH (m)-[:HAS_MECHANISM]->(c:Concept) RETURN DISTINCT c.id AS id ORDER BY id } AS mech,
       COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept) RETURN DISTINCT c.id AS id ORDER BY id } AS out
  RETURN {theory: m.theory, id: m.id, oterms: oterms, okey: okey,
          cmp: CASE $by WHEN 'context' THEN [rkey, mkey] ELSE [ckey, coalesce(m.context_any, false)] END,
          contexts: reduce(s = '', i IN ctx | s + CASE s WHEN '' THEN ''
                           ELSE CASE coalesce(m.context_any, false) WHEN true THEN ' or ' ELSE ' + ' END END + i),
          mechanisms: reduce(s = '', i IN mech | s + CASE s WHEN '' THEN '' ELSE ' + ' END + i),
          outcomes: reduce(s = '', i IN out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + i)} AS u
  ORDER BY u.theory, u.id
} AS uses
// the pairs of CMOCs of different theories that differ
WITH x, uses, COLLECT {
  UNWIND uses AS a
  UNWIND uses AS b
  WITH a, b WHERE a.theory <> b.theory AND a.cmp <> b.cmp
  RETURN [a, b] AS pair } AS differing
WHERE differing <> []
WITH x, uses, COLLECT {
  UNWIND differing AS pair
  UNWIND pair[0].oterms AS ox
  UNWIND pair[1].oterms AS oy
  WITH ox, oy WHERE ox <> oy AND EXISTS {
    MATCH (:Term {theory: $vocabulary, id: ox})<-[p:MAPS_TO]-(c1:Concept)-[:OPPOSES]-(c2:Concept)
          -[q:MAPS_TO]->(:Term {theory: $vocabulary, id: oy})
    WHERE c1.theory = c2.theory AND p.match IN ['exact', 'close'] AND q.match IN ['exact', 'close'] }
  RETURN 1 LIMIT 1 } AS clash
WITH x, uses,
     CASE WHEN clash <> [] THEN 0
          WHEN size(COLLECT { UNWIND uses AS u RETURN DISTINCT u.okey }) = 1 THEN 2
          WHEN any(u IN uses WHERE size(u.okey) <> size(u.oterms)) THEN 3
          ELSE 1 END AS rank
RETURN x.id AS term, coalesce(x.label, x.id) AS label,
       CASE rank WHEN 0 THEN 'opposing' WHEN 3 THEN 'outcomes-unmapped'
            WHEN 2 THEN CASE $by WHEN 'context' THEN 'equifinality' ELSE 'demi-regularity' END
            ELSE CASE $by WHEN 'context' THEN 'mechanism-dependent' ELSE 'context-dependent' END END AS pattern,
       COLLECT { UNWIND uses AS u RETURN DISTINCT u.theory AS t ORDER BY t } AS theories,
       [u IN uses | u.theory + ':' + u.id] AS cmocs,
       [u IN uses | u.contexts] AS contexts,
       [u IN uses | u.mechanisms] AS mechanisms,
       [u IN uses | u.outcomes] AS outcomes
ORDER BY rank, term
LIMIT coalesce($limit, 9223372036854775807);
