// evidence: how much evidence each CMOC rests on, thin support flagged
// One row per CMOC. With $by, a site attribute such as "deprivation" (or "id"
// for one row per site), one row per CMOC and value of that attribute. quotes
// and refuting count the items for and against, participants, sites and waves
// are over the supporting items, and flag is "no-evidence", "single-source"
// (a theory with sources: one source or none), "single-site" (a theory with
// sites: one site or none recorded) or null. Then sources counts the distinct
// sources of the supporting items, confidence is the level of the CMOC, and with
// $detail, detail lists each item as "ID [SOURCE] refutes: QUOTE". The participant,
// site and wave of an item are its own or else those of its source. $flagged keeps
// the flagged rows only. Order: cmoc, value. The same rows as
// `ptgraph query evidence` (docs/graph-model.md).
:param by => null;
:param flagged => false;
:param detail => false;
:param limit => null;
// $theory: the only theory in the database. With several, this line stops the
// file, lists them and leaves $theory as it was: choose one with :param theory,
// then run the query on its own. With none, it says so.
:param theory => [ids IN [COLLECT { MATCH (t:Theory) WHERE t.theory = t.id RETURN t.id ORDER BY t.id }] | CASE size(ids) WHEN 1 THEN ids[0] ELSE point({x: 0, y: 0, crs: "\nptgraph: " + CASE size(ids) WHEN 0 THEN "no theory is loaded in this database. Load one with  ptgraph load PATH  and run this file again." ELSE toString(size(ids)) + " theories are loaded in this database, so this file cannot tell which one to query, and the theory parameter stays as it was. Choose one:" + reduce(s = "", id IN ids | s + "\n    :param theory => '" + id + "'") + "\nthen run the query on its own, without the :param lines." END}) END][0];
WITH EXISTS { MATCH (:Site {theory: $theory}) } AS hasSites,
     EXISTS { MATCH (:Source {theory: $theory}) } AS hasSources
MATCH (m:CMOC {theory: $theory})
OPTIONAL MATCH (m)-[:IN_AREA]->(a:Area)
OPTIONAL MATCH (e:Evidence)-[r:SUPPORTS|REFUTES]->(m)
OPTIONAL MATCH (e)-[:FROM_SOURCE]->(src:Source)
OPTIONAL MATCH (e)-[:FROM_SITE]->(own:Site)
OPTIONAL MATCH (src)-[:FROM_SITE]->(srcSite:Site)
WITH hasSites, hasSources, m, a, e, r, src, coalesce(own, srcSite) AS s
WITH hasSites, hasSources, m, a, e, r, src, s,
     CASE WHEN $by IS NULL THEN null ELSE s[$by] END AS found
// A list-valued attribute counts once per value.
UNWIND CASE WHEN found IS :: LIST<ANY> NOT NULL THEN found ELSE [found] END AS value
WITH hasSites, hasSources, m, a, value,
     count(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN e END) AS quotes,
     count(DISTINCT CASE type(r) WHEN 'REFUTES' THEN e END) AS refuting,
     count(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN coalesce(e.participant, src.participant) END)
       AS participants,
     collect(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN s.id END) AS sites,
     collect(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN coalesce(e.wave, src.wave) END) AS waves,
     count(DISTINCT CASE type(r) WHEN 'SUPPORTS' THEN src END) AS sources,
     collect(DISTINCT CASE WHEN $detail AND e IS NOT NULL THEN
       e.id + CASE WHEN e.source IS NULL THEN '' ELSE ' [' + e.source + ']' END
       + CASE type(r) WHEN 'REFUTES' THEN ' refutes' ELSE '' END + ': ' + e.quote END) AS detail
WITH m, a, value, quotes, refuting, participants, sources, detail,
     COLLECT { UNWIND sites AS x RETURN x ORDER BY x } AS sites,
     COLLECT { UNWIND waves AS x RETURN x ORDER BY x } AS waves,
     CASE WHEN quotes = 0 THEN 'no-evidence'
          WHEN hasSources AND sources <= 1 THEN 'single-source'
          WHEN hasSites AND size(sites) <= 1 THEN 'single-site' END AS flag
WHERE flag IS NOT NULL OR NOT $flagged
RETURN m.id AS cmoc, a.id AS area, value, quotes, refuting, participants, sites, waves, flag,
       sources, m.confidence AS confidence,
       CASE WHEN $detail THEN COLLECT { UNWIND detail AS x RETURN x ORDER BY x } END AS detail
ORDER BY cmoc, value
LIMIT coalesce($limit, 9223372036854775807);
