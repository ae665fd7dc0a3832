// recurring: vocabulary terms used as a mechanism (or resource) by CMOCs of two or more theories
// A CMOC uses a term when a concept in its $role (mechanism or resource) maps to
// it, MAPS_TO with match exact or close. CMOCs marked refuted are left out. A row
// is a term used by CMOCs of two or more theories ($theories, or every theory
// loaded), with per CMOC (by theory, then id) its contexts, outcomes and the
// terms its outcomes map to. pattern, over CMOCs of different theories: opposing
// (outcome terms oppose: a theory declares concepts mapped to them to OPPOSE),
// else demi-regularity (every CMOC has the same outcome terms), else
// outcomes-unmapped (an outcome maps to no term), else different-outcomes.
// Order: pattern, term. The same rows as `ptgraph across recurring` (docs/graph-model.md).
:param role => 'mechanism';
:param term => null;
:param limit => null;
:param theories => null;
// $vocabulary: the only vocabulary in the database. With several, this line stops the
// file, lists them and leaves $vocabulary as it was: choose one with :param vocabulary,
// then run the query on its own. With none, it says so.
:param vocabulary => [ids IN [COLLECT { MATCH (v:Vocabulary) WHERE v.theory = v.id RETURN v.id ORDER BY v.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no shared vocabulary is loaded in this database. Load one with  ptgraph load VOCABULARY_DIR  and the theories that map to it, and run this file again." ELSE toString(size(ids)) + " vocabularies are loaded in this database, so this file cannot tell which one to query, and the vocabulary parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param vocabulary => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
MATCH (x:Term {theory: $vocabulary})
WHERE $term IS NULL OR x.id = $term
// The CMOCs using x, each with its contexts, outcomes, outcome terms and okey: the
// outcome terms, then theory:concept for each outcome that maps to no term.
WITH x, COLLECT {
  MATCH (x)<-[r:MAPS_TO]-(c:Concept)<-[h]-(m:CMOC)
  WHERE r.match IN ['exact', 'close'] AND type(h) = 'HAS_' + toUpper($role)
    AND coalesce(m.status, '') <> 'refuted' AND ($theories IS NULL OR m.theory IN $theories)
  WITH DISTINCT m
  WITH m,
       COLLECT { MATCH (m)-[:HAS_CONTEXT]->(c:Concept) RETURN DISTINCT c.id AS id ORDER BY id } AS ctx,
       COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept) RETURN DISTINCT c.id AS id ORDER BY id } AS out,
       COLLECT { MATCH (m)-[:HAS_OUTCOME]->(:Concept)-[q:MAPS_TO]->(t:Term {theory: $vocabulary})
                 WHERE q.match IN ['exact', 'close'] RETURN DISTINCT t.id AS id ORDER BY id } AS oterms,
       COLLECT { MATCH (m)-[:HAS_OUTCOME]->(c:Concept)
                 WHERE NOT EXISTS { MATCH (c)-[q:MAPS_TO]->(:Term {theory: $vocabulary})
                                    WHERE q.match IN ['exact', 'close'] }
                 RETURN DISTINCT m.theory + ':' + c.id AS id ORDER BY id } AS unmapped
  RETURN {theory: m.theory, id: m.id, oterms: oterms, okey: oterms + unmapped,
          contexts: reduce(s = '', i IN ctx | s + CASE s WHEN '' THEN ''
                           ELSE CASE coalesce(m.context_any, false) WHEN true THEN ' or ' ELSE ' + ' END END + i),
          outcomes: reduce(s = '', i IN out | s + CASE s WHEN '' THEN '' ELSE ' + ' END + i)} AS u
  ORDER BY u.theory, u.id
} AS uses
WITH x, uses, COLLECT { UNWIND uses AS u RETURN DISTINCT u.theory AS t ORDER BY t } AS theories
WHERE size(theories) >= 2
// outcome terms of CMOCs of different theories that oppose
WITH x, uses, theories, COLLECT {
  UNWIND uses AS a
  UNWIND uses AS b
  WITH a, b WHERE a.theory <> b.theory
  UNWIND a.oterms AS ox
  UNWIND b.oterms AS oy
  WITH ox, oy WHERE ox <> oy AND EXISTS {
    MATCH (:Term {theory: $vocabulary, id: ox})<-[p:MAPS_TO]-(c1:Concept)-[:OPPOSES]-(c2:Concept)
          -[q:MAPS_TO]->(:Term {theory: $vocabulary, id: oy})
    WHERE c1.theory = c2.theory AND p.match IN ['exact', 'close'] AND q.match IN ['exact', 'close'] }
  RETURN 1 LIMIT 1 } AS clash
WITH x, uses, theories,
     CASE WHEN clash <> [] THEN 'opposing'
          WHEN size(COLLECT { UNWIND uses AS u RETURN DISTINCT u.okey }) = 1 THEN 'demi-regularity'
          WHEN any(u IN uses WHERE size(u.okey) <> size(u.oterms)) THEN 'outcomes-unmapped'
          ELSE 'different-outcomes' END AS pattern
RETURN x.id AS term, coalesce(x.label, x.id) AS label, $role AS role, pattern, theories,
       [u IN uses | u.theory + ':' + u.id] AS cmocs,
       [u IN uses | u.contexts] AS contexts,
       [u IN uses | u.outcomes] AS outcomes,
       [u IN uses | reduce(s = '', i IN u.oterms | s + CASE s WHEN '' THEN '' ELSE ' + ' END + i)] AS outcome_terms
ORDER BY CASE pattern WHEN 'opposing' THEN 0 WHEN 'different-outcomes' THEN 1 WHEN 'demi-regularity' THEN 2 ELSE 3 END, term
LIMIT coalesce($limit, 9223372036854775807);
