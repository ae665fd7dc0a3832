// New relationships from nodes of one label to nodes of another, of any type. $rows:
// [{start, end, type, cmoc, order}]: start and end are node ids, found through the
// (theory, id) uniqueness index of each label (cheaper, all told, than sending back
// element ids returned by the node creation). A null cmoc or order is not stored; the
// properties are spelled out, not SET x = map, so no Eager step is needed. The type
// from a row ($(...)) needs Neo4j 5.26; create_relationships_by_type.cypher does without.
UNWIND $rows AS r
MATCH (a:__START__ {theory: $theory, id: r.start})
MATCH (b:__END__ {theory: $theory, id: r.end})
CREATE (a)-[:$(r.type) {theory: $theory, cmoc: r.cmoc, order: r.order}]->(b)
