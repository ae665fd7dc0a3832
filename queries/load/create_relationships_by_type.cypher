// New relationships of one type between nodes of two labels, for servers before Neo4j
// 5.26 (no types from a row). $rows as for create_relationships.cypher.
UNWIND $rows AS r
MATCH (a:__START__ {theory: $theory, id: r.start})
MATCH (b:__END__ {theory: $theory, id: r.end})
CREATE (a)-[:__TYPE__ {theory: $theory, cmoc: r.cmoc, order: r.order}]->(b)
